package io.ipc4j.server;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.ipc4j.core.internal.IdleTimers;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One {@code InvokeStream} call: sends the items of a streaming method's result, one response
 * each, only while the transport is ready for more ({@link ServerCallStreamObserver#isReady()}),
 * so that a slow client makes the server wait rather than buffer.
 *
 * <p>Items are pulled on the server's call pool, whenever grpc reports the call ready (on its
 * transport thread, which only hands the pull over: a source may block). The call ends
 * when the source has no more items, when pulling or encoding an item fails (the client gets the
 * same error as from {@code Invoke}), when the client cancels or goes away, or when the stream
 * outlives its lifetime (DEADLINE_EXCEEDED). In every case the source is closed exactly once: a
 * {@code Stream}, or an {@code Iterator} or {@code Iterable} that is {@code AutoCloseable}.
 * Cancellation interrupts a thread blocked in the source's {@code hasNext()} or {@code next()}.
 *
 * <p>A reader that takes nothing for the stall timeout (the transport stays not ready, and grpc
 * holds what was sent for it) has its stream reset and the source closed: what was buffered for
 * it is freed at once rather than when its connection closes.
 */
final class StreamCall implements Context.CancellationListener {
  private static final Executor DIRECT = Runnable::run;

  private final AnswerEncoder answers;
  private final CallRunner runner;
  private final ServerCallStreamObserver<InvokeResponse> responses;
  /** The call's context with the stream's lifetime as deadline; cancelled when the call ends. */
  private final Context.CancellableContext context;
  /** The call's own context: cancelled when the client cancels or goes away. */
  private final Context callContext = Context.current();
  private final ItemSource source;
  private final ExposedObject object;
  private final ExposedObject.Call call;
  private final InvokeRequest request;
  private final Serializer serializer;
  private final Duration lifetime;
  private final Duration stallTimeout;
  private final String name;
  /** When an item was last sent, or the reader last made room; read by the stall check. */
  private volatile long progress = System.nanoTime();
  /** Guarded by lock: the pending stall check, or null. */
  private ScheduledFuture<?> stallCheck;

  private final Object lock = new Object();
  /** Guarded by lock: no response may be sent any more. */
  private boolean finished;
  /** Guarded by lock: {@link #pump()} is pulling items, or is about to. */
  private boolean pumping;
  /** Guarded by lock: the call became ready again while {@link #pump()} was pulling. */
  private boolean readyAgain;
  /** Guarded by lock: the source was closed, or is being closed. */
  private boolean closed;
  /** Whether {@link #pump()} goes round again; touched only by the pumping thread. */
  private boolean pullAgain;
  /** Items sent; touched only by {@link #pump()}, which never runs concurrently. */
  private int sent;

  StreamCall(AnswerEncoder answers, CallRunner runner,
      ServerCallStreamObserver<InvokeResponse> responses, Context.CancellableContext context,
      ItemSource source, ExposedObject object, ExposedObject.Call call, InvokeRequest request,
      Serializer serializer, Duration lifetime, Duration stallTimeout) {
    this.answers = answers;
    this.runner = runner;
    this.responses = responses;
    this.context = context;
    this.source = source;
    this.object = object;
    this.call = call;
    this.request = request;
    this.serializer = serializer;
    this.lifetime = lifetime;
    this.stallTimeout = stallTimeout;
    this.name = object.name + "." + call.method().name();
  }

  /**
   * A child of the current (call's) context that is cancelled when the call is, or when {@code
   * lifetime} has passed.
   */
  static Context.CancellableContext lifetimeContext(Duration lifetime) {
    return Context.current().withDeadlineAfter(lifetime.toNanos(), TimeUnit.NANOSECONDS,
        Timer.INSTANCE);
  }

  /**
   * Starts sending, on the call pool with the call's context current; {@link #wake()} must reach
   * this stream when grpc reports the call ready from now on.
   */
  void start() {
    // Cancellation comes on a transport thread (or the lifetime's timer), which must neither
    // block on this stream's lock nor run the source's close().
    context.addListener(this, runner::cleanUp);
    synchronized (lock) {
      if (finished || pumping) {
        return;
      }
      pumping = true;
    }
    pump();
  }

  /**
   * The call is ready for more: pulls, unless a pull runs already. Call it on the call pool, never
   * on a transport thread: it may block on this stream's lock while a pull sends.
   */
  void wake() {
    progress = System.nanoTime();
    synchronized (lock) {
      if (finished) {
        return;
      }
      if (pumping) {
        readyAgain = true;
        return;
      }
      pumping = true;
    }
    pump();
  }

  /** Sends items while the client takes them; the caller set {@link #pumping}. */
  private void pump() {
    do {
      pullWhileReady();
    } while (pullAgain);
  }

  /**
   * One round of {@link #pump()}: sets {@link #pullAgain} when grpc reported readiness meanwhile
   * and the call goes on.
   */
  private void pullWhileReady() {
    pullAgain = false;
    CallInterrupter interrupter = CallInterrupter.start(context);
    Context previous = context.attach();
    try {
      while (responses.isReady()) {
        Object item;
        try {
          if (!source.items.hasNext()) {
            complete();
            return;
          }
          item = source.items.next();
        } catch (Throwable e) {
          if (!context.isCancelled()) {
            failWith(RemoteFailure.of(object, call, e,
                RemoteFailure.framesBelow(e, new Throwable().getStackTrace())));
          }
          return;
        }
        InvokeResponse response;
        try {
          response = answers.encodeItem(name, sent, request, serializer, item,
              call.method().itemType);
        } catch (CallException e) {
          failWith(e);
          return;
        }
        synchronized (lock) {
          if (finished) {
            return;
          }
          responses.onNext(response);
        }
        sent++;
        progress = System.nanoTime();
      }
    } finally {
      context.detach(previous);
      interrupter.close();
      boolean closeNow;
      boolean done;
      boolean again;
      synchronized (lock) {
        done = finished;
        closeNow = finished && !closed;
        closed |= closeNow;
        again = readyAgain && !finished;
        readyAgain = false;
        pumping = again;
        if (!finished && !again && stallCheck == null) {
          stallCheck = Timer.INSTANCE.schedule(this::checkStall, stallTimeout.toNanos(),
              TimeUnit.NANOSECONDS);
        }
        if (finished && stallCheck != null) {
          stallCheck.cancel(false);
          stallCheck = null;
        }
      }
      if (closeNow) {
        source.closeQuietly(name);
      }
      if (done) {
        context.cancel(null); // releases the lifetime timer; a no-op once cancelled
      }
      pullAgain = again;
    }
  }

  private void complete() {
    synchronized (lock) {
      if (!finished) {
        finished = true;
        responses.onCompleted();
      }
    }
  }

  private void failWith(CallException e) {
    synchronized (lock) {
      if (!finished) {
        finished = true;
        answers.fail(responses, object.name, call.method().name(), e, false);
      }
    }
  }

  /**
   * The client cancelled or went away, or the lifetime passed: ends the call (with
   * DEADLINE_EXCEEDED for the lifetime) and closes the source, at once when no item is being
   * pulled, else when the interrupted pull returns.
   */
  @Override
  public void cancelled(Context cancelled) {
    boolean closeNow;
    synchronized (lock) {
      if (finished) {
        return;
      }
      finished = true;
      if (!callContext.isCancelled() && !responses.isCancelled()) {
        responses.onError(Status.DEADLINE_EXCEEDED.withDescription("stream " + name
            + " exceeded the server's stream lifetime of " + text(lifetime)).asRuntimeException());
      }
      closeNow = !pumping && !closed;
      closed |= closeNow;
    }
    if (closeNow) {
      source.closeQuietly(name);
    }
  }

  /**
   * On the timer: ends the stream when its reader has taken nothing for the stall timeout while
   * it waited; else looks again a stall timeout after the last progress. A pull that runs (a
   * slow source, not a slow reader) counts as progress.
   */
  private void checkStall() {
    long idle = System.nanoTime() - progress;
    boolean closeNow;
    synchronized (lock) {
      stallCheck = null;
      if (finished) {
        return;
      }
      if (pumping || idle < stallTimeout.toNanos() || responses.isReady()) {
        stallCheck = Timer.INSTANCE.schedule(this::checkStall,
            Math.max(stallTimeout.toNanos() - idle, stallTimeout.toNanos() / 10),
            TimeUnit.NANOSECONDS);
        return;
      }
      finished = true;
      Status stalled = Status.DEADLINE_EXCEEDED.withDescription("stream " + name
          + " ended: its reader took nothing for " + text(stallTimeout) + " (streamStallTimeout)");
      if (!StreamReset.reset(callContext, stalled) && !responses.isCancelled()) {
        responses.onError(stalled.asRuntimeException());
      }
      closeNow = !closed;
      closed = true;
    }
    if (closeNow) {
      runner.cleanUp(() -> source.closeQuietly(name)); // off the one timer thread
    }
    context.cancel(null);
  }

  /** {@code d} as people write it: 10 min, 30 s, 250 ms. */
  static String text(Duration d) {
    long millis = d.toMillis();
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + " min";
    }
    return millis % 1000 == 0 && millis > 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /** The one timer thread that ends streams past their lifetime; it exits when idle. */
  static final class Timer {
    static final ScheduledThreadPoolExecutor INSTANCE = IdleTimers.create("ipc4j-stream-lifetime");
  }
}
