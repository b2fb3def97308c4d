package io.ipc4j.client;

import com.google.rpc.ErrorInfo;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The oneway calls of one client, sent one at a time: the next is sent when the server has
 * answered the one before, that is when the method has returned. So the oneway calls of one
 * client run on the server one after another, in the order they were made, whatever the server's
 * thread pool, and even across replicas; the caller never waits for them.
 *
 * <p>Not ordered: oneway calls against the client's other calls (a blocking call may overtake a
 * queued oneway call), oneway calls of different clients, and a oneway call that outlives the
 * client's deadline against the next one (the lane moves on, the server still runs it). Calls
 * still queued when the client is closed are not sent; each is logged.
 *
 * <p>Failures are logged at WARNING here unless the server answered with an ipc4j reason (such as
 * REMOTE_EXCEPTION or NO_SUCH_METHOD): the server logs those at WARNING itself, with the
 * traceback, and here they go to FINE.
 */
final class OnewayLane {
  private static final Logger logger = Logger.getLogger(OnewayLane.class.getName());
  /** The most oneway calls one client queues; more make the caller wait for room. */
  static final int MAX_QUEUED = 10_000;

  private final Invoker invoker;
  private final Object lock = new Object();
  /** Guarded by lock. */
  private final Queue<Pending> queue = new ArrayDeque<>();
  /** Guarded by lock: a call is in flight. */
  private boolean busy;

  private record Pending(InvokeRequest request, String call) {}

  OnewayLane(Invoker invoker) {
    this.invoker = invoker;
  }

  /**
   * Queues {@code request}, sending it at once when no oneway call is in flight. Returns at once
   * unless {@value #MAX_QUEUED} calls are queued; then waits for room.
   *
   * @throws IpcException when interrupted while waiting for room; the call is not sent
   */
  void submit(InvokeRequest request, String call) {
    Pending pending = new Pending(request, call);
    synchronized (lock) {
      while (queue.size() >= MAX_QUEUED) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IpcException("interrupted while waiting to queue the oneway call " + call,
              Status.Code.CANCELLED, null, e);
        }
      }
      if (busy) {
        queue.add(pending);
        return;
      }
      busy = true;
    }
    send(pending);
  }

  /**
   * Waits until no oneway call is queued or in flight, or {@code timeout} has passed; answers
   * which. For {@code IpcClient.close()}, so that calls made just before it are still sent.
   */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (busy) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** Whether no oneway call is queued or in flight. */
  boolean idle() {
    synchronized (lock) {
      return !busy;
    }
  }

  private void send(Pending pending) {
    try {
      invoker.startOneway(pending.request, new ClientCall.Listener<>() {
        @Override
        public void onClose(Status status, Metadata trailers) {
          try {
            if (!status.isOk()) {
              log(status, trailers, pending.call);
            }
          } finally {
            next();
          }
        }
      });
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "oneway call " + pending.call + " could not be sent", e);
      next();
    }
  }

  /** Sends the next queued call, if any. */
  private void next() {
    Pending next;
    synchronized (lock) {
      next = queue.poll();
      busy = next != null;
      lock.notifyAll();
    }
    if (next != null) {
      send(next);
    }
  }

  private static void log(Status status, Metadata trailers, String call) {
    IpcException failure = Failures.of(status.asRuntimeException(trailers), call);
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    ErrorInfo info = details == null ? null : RemoteErrors.errorInfo(details);
    boolean loggedByServer = info != null && ErrorReason.DOMAIN.equals(info.getDomain());
    logger.log(loggedByServer ? Level.FINE : Level.WARNING,
        "oneway call " + call + " failed: " + failure.getMessage(), failure);
  }
}
