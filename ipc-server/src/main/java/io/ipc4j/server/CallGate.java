package io.ipc4j.server;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the calls in flight and, once the server is stopping, refuses new ones with UNAVAILABLE,
 * so that {@code stop()} can drain before it closes the exposed objects.
 */
final class CallGate implements ServerInterceptor {
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Set by {@link #close()}; then the last call to end takes {@link #lock} to say so. */
  private volatile boolean closed;
  private final Object lock = new Object();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    // Counted before closed is read again: either awaitDrained sees this call, or this call sees
    // that the gate closed and goes no further.
    inFlight.incrementAndGet();
    if (closed) {
      done();
      call.close(Status.UNAVAILABLE.withDescription("the server is stopping"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(call, headers);
    } catch (RuntimeException | Error e) {
      done();
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      private boolean counted = true;

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          release();
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          release();
        }
      }

      private void release() {
        if (counted) {
          counted = false;
          done();
        }
      }
    };
  }

  private void done() {
    if (inFlight.decrementAndGet() == 0 && closed) {
      synchronized (lock) {
        lock.notifyAll();
      }
    }
  }

  /** Refuses new calls from now on. */
  void close() {
    closed = true;
  }

  /** Waits until no call is in flight or {@code grace} has passed; answers whether it drained. */
  boolean awaitDrained(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (lock) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  int inFlight() {
    return inFlight.get();
  }
}
