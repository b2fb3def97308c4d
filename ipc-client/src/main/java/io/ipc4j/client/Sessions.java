package io.ipc4j.client;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ipc4j.core.internal.CallMetadata;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client's calls as messages on one long-lived {@code Session} stream, so that a small call
 * costs no stream setup of its own. The session opens with the first call; when it breaks, the
 * calls waiting on it fail with UNAVAILABLE and the next call opens a new one. A server without
 * sessions answers the first one UNIMPLEMENTED: from then on this client's calls use {@code
 * Invoke}.
 */
final class Sessions {
  /** The most calls a server takes in flight on one session; more go out with {@code Invoke}. */
  static final int MAX_IN_FLIGHT = 256;
  /**
   * The largest request sent on a session before the server has said what it reads (in its
   * response headers): a larger one goes out with {@code Invoke}, where a request the server
   * refuses as too large fails alone, not the session and its other calls. Once the server has
   * said, requests up to its limit go on the session.
   */
  static final int MAX_REQUEST_BYTES = 64 * 1024;

  /** How many times a call that provably never ran is sent, on new sessions, before it fails. */
  static final int MAX_ATTEMPTS = 3;

  private final Channel calls;
  /**
   * Puts a channel whose connection failed back to connecting on its next call, then runs what
   * it is given once the channel has: a call sent again after its session could not connect (the
   * server was restarting) tries afresh.
   */
  private final java.util.function.Consumer<Runnable> reconnect;
  /** The largest answer the client reads. */
  private final int maxAnswerBytes;
  /** Places for calls waiting for an answer on the session. */
  private final Semaphore places = new Semaphore(MAX_IN_FLIGHT);
  /** Set once the server turned out to have no {@code Session} method. */
  private volatile boolean unsupported;
  /** Set once a session has been answered: the server offers them. */
  private volatile boolean offered;
  /** The session calls go out on, until it breaks; replaced under this object's lock. */
  private volatile Session current;

  /**
   * @param calls the channel behind the client's interceptors
   * @param maxAnswerBytes the largest answer the client reads
   */
  Sessions(Channel calls, int maxAnswerBytes,
      java.util.function.Function<Session, ClientReferences> newReferences,
      java.util.function.Consumer<Runnable> reconnect) {
    this.calls = calls;
    this.reconnect = reconnect;
    this.maxAnswerBytes = maxAnswerBytes;
    this.newReferences = newReferences;
  }

  /** Makes a session's references, the first time a call carries one. */
  private final java.util.function.Function<Session, ClientReferences> newReferences;

  /**
   * The session for a call that carries references, which are valid on that session only: the
   * open one, opened now if needed; null when the server is known to lack sessions.
   */
  Session referenceSession() {
    return unsupported ? null : session();
  }

  /** Marks the server as lacking sessions: it answered a session UNIMPLEMENTED. */
  void markUnsupported() {
    unsupported = true;
  }

  /**
   * Whether {@code request} goes out on the session, taking a place there that its answer frees:
   * the server is not known to lack sessions, the request is small, and fewer than {@value
   * #MAX_IN_FLIGHT} calls wait for answers. Otherwise it goes out with {@code Invoke}.
   */
  boolean takes(InvokeRequest request) {
    if (!usable()) {
      return false;
    }
    int size = request.getSerializedSize();
    if (size > MAX_REQUEST_BYTES) {
      Session session = current;
      if (session == null || !session.open() || size > session.maxRequestBytes()) {
        return false;
      }
    }
    return places.tryAcquire();
  }

  /** Whether calls should go out on a session: the server is not known to lack them. */
  boolean usable() {
    return !unsupported;
  }

  /** Whether the server is known to offer sessions: some session has been answered. */
  boolean offered() {
    if (!offered) {
      Session session = current;
      offered = session != null && session.answered();
    }
    return offered && !unsupported;
  }

  /** The open session, opened now if there is none or it broke; no lock while one is open. */
  private Session session() {
    Session session = current;
    if (session != null && session.open()) {
      return session;
    }
    synchronized (this) {
      if (current == null || !current.open()) {
        offered |= current != null && current.answered();
        current = Session.open(calls, maxAnswerBytes, newReferences);
      }
      return current;
    }
  }

  /**
   * Sends {@code request} and waits for its answer, at most {@code deadline}.
   *
   * @return the answer; null when the server has no sessions (send it with {@code Invoke})
   * @throws StatusRuntimeException the status the call failed with, as {@code Invoke} would
   */
  InvokeResponse invoke(InvokeRequest request, Duration deadline, CallMetadata metadata) {
    long nanos = deadline.toNanos();
    RemoteFuture<InvokeResponse> answer = send(request, nanos, metadata);
    try {
      return answer.get(nanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Session.Unsupported) {
        unsupported = true;
        return null;
      }
      throw (StatusRuntimeException) e.getCause();
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw deadlineExceeded(deadline);
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }

  /**
   * Sends {@code request}; the future completes with its answer within {@code deadline}, or fails
   * with a {@link StatusRuntimeException}, or with {@link Session.Unsupported} when the server has
   * no sessions. Cancelling it cancels the call on the server.
   */
  RemoteFuture<InvokeResponse> invokeAsync(InvokeRequest request, Duration deadline,
      CallMetadata metadata) {
    long nanos = deadline.toNanos();
    RemoteFuture<InvokeResponse> answer = send(request, nanos, metadata);
    ScheduledFuture<?> timer = SessionAnswers.TIMER.schedule(() -> {
      if (answer.completeExceptionally(deadlineExceeded(deadline))) {
        answer.cancelOnServer();
      }
    }, nanos, TimeUnit.NANOSECONDS);
    answer.whenComplete((response, failure) -> {
      timer.cancel(false);
      if (failure instanceof Session.Unsupported) {
        unsupported = true;
      }
    });
    return answer;
  }

  /**
   * Sends {@code request} on the session, in the place {@link #takes} took for it: the place is
   * freed when the answer comes, the call fails or is cancelled, or the send itself fails. A call
   * that provably never reached a method (the server refused it as it stopped, ended the session
   * without reading it, or the session's connection could not be made) is sent again on a new
   * session, at most {@value #MAX_ATTEMPTS} times in all, the channel's failed connection tried
   * afresh; a new session goes where the channel's load balancing sends it.
   */
  private RemoteFuture<InvokeResponse> send(InvokeRequest request, long nanos,
      CallMetadata metadata) {
    AtomicReference<RemoteFuture<InvokeResponse>> attempt = new AtomicReference<>();
    RemoteFuture<InvokeResponse> answer = new RemoteFuture<>(() -> {
      RemoteFuture<InvokeResponse> current = attempt.get();
      if (current != null) {
        current.cancel(true);
      }
    });
    answer.whenComplete((response, failure) -> places.release());
    attempt(request, nanos, metadata, answer, attempt, 1);
    return answer;
  }

  /** Attempt {@code n} of {@link #send}. */
  private void attempt(InvokeRequest request, long nanos, CallMetadata metadata,
      RemoteFuture<InvokeResponse> answer, AtomicReference<RemoteFuture<InvokeResponse>> attempt,
      int n) {
    RemoteFuture<InvokeResponse> current;
    try {
      current = session().call(request, nanos, metadata);
    } catch (RuntimeException | Error e) {
      answer.completeExceptionally(e);
      throw e;
    }
    attempt.set(current);
    if (answer.isDone()) { // cancelled meanwhile
      current.cancel(true);
      return;
    }
    current.whenComplete((response, failure) -> {
      if (failure == null) {
        answer.complete(response);
      } else if (failure instanceof Session.NotRun notRun) {
        if (n < MAX_ATTEMPTS && !answer.isDone()) {
          // Not here, inside the failed stream's callback, where the channel would take in the
          // reconnection only after the new stream had failed the same way.
          SessionAnswers.TIMER.execute(() -> reconnect.accept(() -> SessionAnswers.TIMER.execute(
              () -> attempt(request, nanos, metadata, answer, attempt, n + 1))));
        } else {
          answer.completeExceptionally(notRun.status);
        }
      } else {
        answer.completeExceptionally(failure);
      }
    });
  }

  /** Sends {@code request} as a oneway call on the session: no answer comes. */
  void invokeOneway(InvokeRequest request, CallMetadata metadata) {
    session().callOneway(request, metadata, "");
  }

  /**
   * Waits until no call waits for an answer, or {@code timeout} has passed, then half-closes the
   * session: its calls still running are cancelled, queued oneway calls still run. Meant for
   * {@code IpcClient.close()}.
   */
  void close(Duration timeout) throws InterruptedException {
    Session session;
    synchronized (this) {
      session = current;
    }
    if (session != null) {
      session.awaitIdle(timeout);
      session.halfClose();
    }
  }

  private static StatusRuntimeException deadlineExceeded(Duration deadline) {
    return Status.DEADLINE_EXCEEDED.withDescription(String.format(Locale.ROOT,
        "deadline exceeded after %.3fs", deadline.toNanos() / 1e9)).asRuntimeException();
  }
}
