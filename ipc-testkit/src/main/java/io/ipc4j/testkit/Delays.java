package io.ipc4j.testkit;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timer of delay faults: one daemon thread, started on first use, that releases held calls
 * when their delay is over. It never runs the calls themselves.
 */
final class Delays {
  private final String threadName;
  private ScheduledThreadPoolExecutor timer;
  private boolean shutdown;

  Delays(String threadName) {
    this.threadName = threadName;
  }

  /**
   * Runs {@code task} after {@code nanos}; answers the future to cancel it, or null when it ran
   * at once (no wait, or after shutdown).
   */
  ScheduledFuture<?> schedule(Runnable task, long nanos) {
    ScheduledExecutorService t = nanos > 0 ? timer() : null;
    if (t != null) {
      try {
        return t.schedule(task, nanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException shutDown) {
        // fall through: run at once
      }
    }
    task.run();
    return null;
  }

  private synchronized ScheduledExecutorService timer() {
    if (shutdown) {
      return null;
    }
    if (timer == null) {
      timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, threadName);
        thread.setDaemon(true);
        return thread;
      });
      timer.setRemoveOnCancelPolicy(true);
    }
    return timer;
  }

  /** Stops the timer thread; held calls must have been aborted before. */
  void shutdown() throws InterruptedException {
    ScheduledThreadPoolExecutor t;
    synchronized (this) {
      shutdown = true;
      t = timer;
    }
    if (t != null) {
      t.shutdownNow();
      t.awaitTermination(1, TimeUnit.SECONDS);
    }
  }
}
