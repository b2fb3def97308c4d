package io.ipc4j.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts a client's calls in flight, so that {@link IpcClient#close()} waits for them and no
 * longer: a channel's own termination can lag seconds behind its last call.
 */
final class ActiveCalls implements ClientInterceptor {
  private final AtomicInteger active = new AtomicInteger();
  /** Set once someone waits: only then does the last call to end take the lock to say so. */
  private volatile boolean awaited;
  private final Object lock = new Object();

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        change(1);
        try {
          super.start(new SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onClose(Status status, Metadata trailers) {
              try {
                super.onClose(status, trailers);
              } finally {
                change(-1);
              }
            }
          }, headers);
        } catch (RuntimeException | Error e) {
          change(-1);
          throw e;
        }
      }
    };
  }

  private void change(int by) {
    if (active.addAndGet(by) == 0 && awaited) {
      synchronized (lock) {
        lock.notifyAll();
      }
    }
  }

  /** Waits until no call is in flight or {@code timeout} has passed; answers which. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    awaited = true; // before the count is read: a call ending after it will notify
    synchronized (lock) {
      while (active.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }
}
