package io.ipc4j.client;

import com.google.protobuf.Duration;
import com.google.rpc.ErrorInfo;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.internal.CallMetadata;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.core.internal.WireHeaders;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.Release;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code Session} stream: calls go out as messages with an id, and each answer completes the
 * future waiting for that id. Answers that carry an error complete it with the {@link
 * StatusRuntimeException} that {@code Invoke} would have ended with, so that {@link Failures}
 * reads both alike. When the stream ends, every call still waiting fails: with UNAVAILABLE (or
 * the stream's own status, such as UNAUTHENTICATED), or with {@link Unsupported} when the server
 * has no {@code Session} method.
 */
final class Session extends ClientCall.Listener<SessionResponse> {
  private final ClientCall<SessionRequest, SessionResponse> call;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, RemoteFuture<InvokeResponse>> pending = new ConcurrentHashMap<>();
  /**
   * Messages to send. Callers never wait for each other: each queues its message, and whoever
   * finds no one sending sends what is queued ({@link #drain}), one message at a time.
   */
  private final Queue<SessionRequest> outbox = new ConcurrentLinkedQueue<>();
  /** How many times {@link #drain} was asked for and has not yet looked at the outbox. */
  private final AtomicInteger drains = new AtomicInteger();
  /** Queued to half-close the stream, after the messages before it. */
  private static final SessionRequest HALF_CLOSE = SessionRequest.newBuilder().build();
  /** Set by the sender only: the stream is half-closed, or closed; nothing more is sent. */
  private boolean halfClosed;
  /** Why the stream ended, once it has: what a call made from then on fails with. */
  private volatile RuntimeException ended;
  /** Set once someone waits in {@link #awaitIdle}: only then do answers notify {@link #idle}. */
  private volatile boolean awaited;
  private final Object idle = new Object();
  /** Room left in a session message for what surrounds a request: id, timeout, metadata. */
  static final int REQUEST_MARGIN = 4096;
  /** See {@link #maxRequestBytes()}. */
  private volatile int maxRequestBytes;
  /** Set once the server has answered on this stream: it offers sessions. */
  private volatile boolean answered;
  /** Makes this session's references, the first time a call carries one. */
  private final java.util.function.Function<Session, ClientReferences> newReferences;
  /** The references this session carries; null until a call carries one. */
  private volatile ClientReferences references;

  /**
   * The call provably never reached a method (it was refused before it ran, or never read before
   * the session ended): it may be sent again, on a new session.
   */
  static final class NotRun extends RuntimeException {
    final StatusRuntimeException status;

    NotRun(StatusRuntimeException status) {
      super(status.getMessage(), status, false, false);
      this.status = status;
    }
  }

  /** The server has no {@code Session} method: the call is to be sent with {@code Invoke}. */
  static final class Unsupported extends RuntimeException {
    Unsupported() {
      super("the server does not offer sessions", null, false, false);
    }
  }

  /** The largest answer this client reads. */
  private final int maxAnswerBytes;
  /**
   * What a session message adds around an answer: the id, the field's tag and length, the
   * not-run flag.
   */
  static final int MESSAGE_OVERHEAD = 32;

  private Session(Channel channel, int maxAnswerBytes,
      java.util.function.Function<Session, ClientReferences> newReferences) {
    this.maxAnswerBytes = maxAnswerBytes;
    this.newReferences = newReferences;
    // Answers are handled on the transport's thread: they only complete futures, and a blocking
    // caller, woken by its own, reads it on its own thread.
    this.call = channel.newCall(InvokeServiceGrpc.getSessionMethod(), CallOptions.DEFAULT
        .withExecutor(Runnable::run)
        .withMaxInboundMessageSize(maxAnswerBytes > Integer.MAX_VALUE - MESSAGE_OVERHEAD
            ? Integer.MAX_VALUE : maxAnswerBytes + MESSAGE_OVERHEAD));
  }

  /**
   * Opens a session on {@code channel} (behind the client's interceptors), telling the server the
   * largest answer this client reads, {@code maxAnswerBytes}: a larger answer then fails alone.
   * {@code newReferences} makes the session's references when a call first carries one.
   */
  static Session open(Channel channel, int maxAnswerBytes,
      java.util.function.Function<Session, ClientReferences> newReferences) {
    Session session = new Session(channel, maxAnswerBytes, newReferences);
    Metadata headers = new Metadata();
    headers.put(WireHeaders.MAX_ANSWER_BYTES, Integer.toString(maxAnswerBytes));
    session.call.start(session, headers);
    session.call.request(Integer.MAX_VALUE);
    return session;
  }

  /**
   * Sends {@code request}; the future completes with its answer, or fails as described above.
   * Cancelling the future cancels the call on the server. {@code timeoutNanos} (0 for none) is
   * how long the server lets it run.
   */
  RemoteFuture<InvokeResponse> call(InvokeRequest request, long timeoutNanos,
      CallMetadata metadata) {
    return call(request, timeoutNanos, metadata, "");
  }

  /**
   * {@link #call(InvokeRequest, long, CallMetadata)} to the server's object that {@code
   * reference} names (empty: the object the request names).
   */
  RemoteFuture<InvokeResponse> call(InvokeRequest request, long timeoutNanos,
      CallMetadata metadata, String reference) {
    long id = ids.incrementAndGet();
    RemoteFuture<InvokeResponse> answer = new RemoteFuture<>(() -> cancel(id));
    pending.put(id, answer);
    RuntimeException why = ended; // read after the put: onClose either sees the call or is seen
    if (why != null) {
      pending.remove(id);
      answer.completeExceptionally(unread(why)); // never sent
      return answer;
    }
    send(SessionRequest.newBuilder()
        .setCall(message(id, request, timeoutNanos, false, metadata, reference)).build());
    return answer;
  }

  /**
   * Sends {@code request} as a oneway call, to the object {@code reference} names (empty: the one
   * the request names): no answer comes.
   */
  void callOneway(InvokeRequest request, CallMetadata metadata, String reference) {
    send(SessionRequest.newBuilder().setCall(message(ids.incrementAndGet(), request, 0, true,
        metadata, reference)).build());
  }

  private static SessionRequest.Call message(long id, InvokeRequest request, long timeoutNanos,
      boolean oneway, CallMetadata metadata, String reference) {
    SessionRequest.Call.Builder call = SessionRequest.Call.newBuilder()
        .setId(id).setRequest(request).setOneway(oneway);
    metadata.writeTo(call);
    if (!reference.isEmpty()) {
      call.setReference(reference);
    }
    if (timeoutNanos > 0) {
      call.setTimeout(Duration.newBuilder().setSeconds(timeoutNanos / 1_000_000_000L)
          .setNanos((int) (timeoutNanos % 1_000_000_000L)));
    }
    return call.build();
  }

  /** The caller gave up on call {@code id}: the server is told to cancel it. */
  private void cancel(long id) {
    if (pending.remove(id) != null) {
      removed();
      send(SessionRequest.newBuilder()
          .setCancel(SessionRequest.Cancel.newBuilder().setId(id)).build());
    }
  }

  private void send(SessionRequest message) {
    outbox.add(message);
    drain();
  }

  /** Sends what is queued, unless another thread is at it; it then sends this too. */
  private void drain() {
    if (drains.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      for (SessionRequest message; (message = outbox.poll()) != null; ) {
        if (halfClosed) {
          continue;
        }
        if (message == HALF_CLOSE) {
          halfClosed = true;
          call.halfClose();
        } else {
          call.sendMessage(message);
        }
      }
      missed = drains.addAndGet(-missed);
    } while (missed != 0);
  }

  /** Answers a call the server made to one of the client's objects. */
  void sendAnswer(SessionResponse answer) {
    send(SessionRequest.newBuilder().setAnswer(answer).build());
  }

  /**
   * Tells the server that the client calls {@code reference} no more; {@code received} messages
   * carried it here.
   */
  void sendRelease(String reference, long received) {
    if (ended == null) {
      send(SessionRequest.newBuilder().setRelease(Release.newBuilder()
          .addReferences(reference).addReceived(received)).build());
    }
  }

  /**
   * The references this session carries, made now if no call carried one before; they end with
   * the session.
   */
  ClientReferences references() {
    ClientReferences refs = references;
    if (refs == null) {
      synchronized (this) {
        refs = references;
        if (refs == null) {
          refs = newReferences.apply(this);
          references = refs;
        }
      }
      RuntimeException why = ended; // read after the write: onClose either sees it or is seen
      if (why != null) {
        refs.end(endedWhy(why), why);
      }
    }
    return refs;
  }

  /** The references this session carries, or null when no call carried one. */
  ClientReferences referencesIfAny() {
    return references;
  }

  /** Why references end with the session: {@code why}'s words. */
  private static String endedWhy(RuntimeException why) {
    return "the session ended: " + (why instanceof StatusRuntimeException e
        ? e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
            : ": " + e.getStatus().getDescription()) : why.getMessage());
  }

  /** Whether calls can still go out on this stream. */
  boolean open() {
    return ended == null;
  }

  /** Whether the server has answered on this stream, which shows that it offers sessions. */
  boolean answered() {
    return answered;
  }

  /**
   * Waits until no call waits for an answer or the stream has ended, at most {@code timeout}.
   */
  void awaitIdle(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    awaited = true; // before pending is read: a call answered after it will notify
    synchronized (idle) {
      while (!pending.isEmpty() && ended == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        idle.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Wakes {@link #awaitIdle} once the last call waiting has its answer. */
  private void removed() {
    if (awaited && pending.isEmpty()) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  /** Sends no more calls; the server ends the stream once its calls in flight have ended. */
  void halfClose() {
    send(HALF_CLOSE);
  }

  @Override
  public void onHeaders(Metadata headers) {
    String max = headers.get(WireHeaders.MAX_REQUEST_BYTES);
    if (max != null) {
      try {
        maxRequestBytes = Math.max(0, Integer.parseInt(max) - REQUEST_MARGIN);
      } catch (NumberFormatException e) {
        // not a number: the server's limit stays unknown
      }
    }
    answered = true;
  }

  /**
   * The largest request this session takes, by what the server said of its limit when it answered
   * (less room for the message around the request); 0 until then.
   */
  int maxRequestBytes() {
    return maxRequestBytes;
  }

  @Override
  public void onMessage(SessionResponse message) {
    answered = true;
    if (message.getPeerCase() != SessionResponse.PeerCase.PEER_NOT_SET) {
      fromServer(message);
      return;
    }
    RemoteFuture<InvokeResponse> answer = pending.remove(message.getId());
    if (answer == null) {
      return; // cancelled by its caller meanwhile
    }
    removed();
    if (message.hasError()) {
      StatusRuntimeException error = StatusProto.toStatusRuntimeException(message.getError());
      answer.completeExceptionally(message.getNotRun() ? unread(error) : error);
    } else if (message.getAnswer().getSerializedSize() > maxAnswerBytes) {
      // As grpc refuses an answer of Invoke over the client's limit.
      answer.completeExceptionally(Status.RESOURCE_EXHAUSTED.withDescription(
          "gRPC message exceeds maximum size " + maxAnswerBytes + ": "
              + message.getAnswer().getSerializedSize()).asRuntimeException());
    } else {
      answer.complete(message.getAnswer());
    }
  }

  /** A message that is no answer: a call to one of the client's objects, its cancel, a release. */
  private void fromServer(SessionResponse message) {
    ClientReferences refs = references;
    switch (message.getPeerCase()) {
      case CALL -> {
        if (refs != null) {
          refs.called(message.getCall());
        } else if (!message.getCall().getOneway()) {
          sendAnswer(SessionResponse.newBuilder().setId(message.getCall().getId())
              .setError(com.google.rpc.Status.newBuilder()
                  .setCode(Status.Code.NOT_FOUND.value())
                  .setMessage("no reference on this session: it passed none")).build());
        }
      }
      case CANCEL -> {
        if (refs != null) {
          refs.cancelled(message.getCancel().getId());
        }
      }
      case RELEASE -> {
        if (refs != null) {
          refs.released(message.getRelease());
        }
      }
      default -> {
        // a kind this client does not know: nothing to do
      }
    }
  }

  /**
   * What a call that never reached a method fails with: {@link NotRun}, to be sent again, when
   * the session is unavailable; {@code why} itself otherwise.
   */
  private static RuntimeException unread(RuntimeException why) {
    return why instanceof StatusRuntimeException e
        && e.getStatus().getCode() == Status.Code.UNAVAILABLE ? new NotRun(e) : why;
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    ended = why(status, trailers);
    send(HALF_CLOSE); // nothing more can be sent
    ClientReferences refs = references;
    if (refs != null) {
      refs.end(endedWhy(ended), ended);
    }
    // The server answered every call it read: those without an answer never ran. A stream that
    // never connected sent nothing.
    RuntimeException failure = "1".equals(trailers.get(WireHeaders.SESSION_DRAINED))
        || neverConnected(status) ? unread(ended) : ended;
    for (Long id : List.copyOf(pending.keySet())) {
      RemoteFuture<InvokeResponse> answer = pending.remove(id);
      if (answer != null) {
        answer.completeExceptionally(failure);
      }
    }
    removed();
  }

  /** Whether {@code status} ended a stream whose connection could not be made. */
  private static boolean neverConnected(Status status) {
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  /** What the calls of a stream that ended with {@code status} fail with. */
  private static RuntimeException why(Status status, Metadata trailers) {
    if (status.getCode() == Status.Code.UNIMPLEMENTED && !fromIpc4j(status, trailers)) {
      return new Unsupported();
    }
    if (status.isOk() || status.getCode() == Status.Code.CANCELLED) {
      return Status.UNAVAILABLE.withDescription("the session ended before the call was answered")
          .withCause(status.getCause()).asRuntimeException();
    }
    return status.asRuntimeException(trailers);
  }

  private static boolean fromIpc4j(Status status, Metadata trailers) {
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    ErrorInfo info = details == null ? null : RemoteErrors.errorInfo(details);
    return info != null && ErrorReason.DOMAIN.equals(info.getDomain());
  }
}
