package io.ipc4j.client;

import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where a client runs the calls its server makes to the client's objects: a bounded pool of
 * daemon threads ({@code ipc4j-callback-N}), never the transport's thread, so that a callback may
 * block, and may call the server again. Calls beyond the threads wait in a bounded queue; beyond
 * that they are refused. One per client, shut down with it.
 */
final class CallbackPool {
  private static final Logger logger = Logger.getLogger(IpcClient.class.getName());
  /** The most calls that wait for a thread, and the most oneway calls queued in one lane. */
  static final int MAX_QUEUED = 10_000;
  private static final AtomicInteger count = new AtomicInteger();

  private final ThreadPoolExecutor executor;
  private final int threads;

  CallbackPool(int threads) {
    this.threads = threads;
    this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
          Thread t = new Thread(r, "ipc4j-callback-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
  }

  /**
   * Runs {@code task} on a pool thread.
   *
   * @throws RejectedExecutionException when {@value #MAX_QUEUED} calls wait already, or the client
   *     is closed; its message says which
   */
  void execute(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      throw new RejectedExecutionException(executor.isShutdown() ? "the client is closed"
          : "more than " + MAX_QUEUED + " calls wait for one of the client's " + threads
              + " callback threads");
    }
  }

  /** A lane of this pool: its tasks run one after another, in the order they came. */
  Lane lane() {
    return new Lane();
  }

  /** Ends the pool's threads; calls still running are interrupted. */
  void shutdown() {
    executor.shutdownNow();
  }

  /** Tasks that run one after another on the pool. */
  final class Lane {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    /** Queues {@code task}; false, and dropped, when {@value #MAX_QUEUED} wait already. */
    boolean submit(Runnable task) {
      if (queued.incrementAndGet() > MAX_QUEUED) {
        queued.decrementAndGet();
        return false;
      }
      tasks.add(task);
      schedule();
      return true;
    }

    private final java.util.concurrent.atomic.AtomicBoolean active =
        new java.util.concurrent.atomic.AtomicBoolean();

    private void schedule() {
      if (active.compareAndSet(false, true)) {
        try {
          execute(this::drain);
        } catch (RejectedExecutionException e) {
          active.set(false);
          clear();
        }
      }
    }

    private void drain() {
      for (Runnable task; (task = tasks.poll()) != null; ) {
        queued.decrementAndGet();
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          logger.log(Level.WARNING, "a oneway call from the server failed", e);
        }
      }
      active.set(false);
      if (!tasks.isEmpty()) {
        schedule();
      }
    }

    /** Drops the tasks that have not started. */
    void clear() {
      while (tasks.poll() != null) {
        queued.decrementAndGet();
      }
    }
  }
}
