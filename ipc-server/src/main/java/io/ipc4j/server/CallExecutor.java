package io.ipc4j.server;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run a server's calls: an idle thread takes the next task when there is one, a
 * new thread starts when there is none (up to the maximum, which bounds how many calls run at
 * once), and beyond the maximum tasks wait in a queue. Idle threads end after the keep-alive.
 *
 * <p>A plain {@link ThreadPoolExecutor} does not do all three: with core == max it starts a new
 * thread for every task until the maximum even while others idle (a gRPC call hands it two or
 * three tasks), and with fewer core threads and an unbounded queue it never grows past the core.
 * So the queue here refuses a task while more tasks are in the pool than threads and the pool
 * may still grow, which makes the pool start a thread (as Tomcat's executor does).
 */
final class CallExecutor extends ThreadPoolExecutor {
  /** Tasks handed to {@link #execute} and not yet finished: running or queued. */
  private final AtomicInteger submitted = new AtomicInteger();

  CallExecutor(int maxThreads, Duration keepAlive, ThreadFactory threads) {
    super(0, maxThreads, keepAlive.toNanos(), TimeUnit.NANOSECONDS, new GrowFirstQueue(), threads,
        new QueueWhenFull());
    ((GrowFirstQueue) getQueue()).pool = this;
  }

  @Override
  public void execute(Runnable task) {
    submitted.incrementAndGet();
    try {
      super.execute(task);
    } catch (RuntimeException | Error e) {
      submitted.decrementAndGet();
      throw e;
    }
  }

  @Override
  protected void afterExecute(Runnable task, Throwable thrown) {
    submitted.decrementAndGet();
  }

  /** Queues a task only when a thread is free for it, or when no thread may be added. */
  private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {
    private static final long serialVersionUID = 1L;
    private transient CallExecutor pool;

    @Override
    public boolean offer(Runnable task) {
      int threads = pool.getPoolSize();
      if (pool.submitted.get() > threads && threads < pool.getMaximumPoolSize()) {
        return false; // the pool starts a thread for it
      }
      return super.offer(task);
    }

    boolean enqueue(Runnable task) {
      return super.offer(task);
    }
  }

  /** The pool reached its maximum between the queue's refusal and adding a thread: queue it. */
  private static final class QueueWhenFull implements RejectedExecutionHandler {
    @Override
    public void rejectedExecution(Runnable task, ThreadPoolExecutor pool) {
      if (pool.isShutdown() || !((GrowFirstQueue) pool.getQueue()).enqueue(task)) {
        throw new RejectedExecutionException("the server's threads are shut down");
      }
    }
  }
}
