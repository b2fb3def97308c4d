package io.ipc4j.server;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
 *
 * <p>Calls ({@link #executeCall}) that wait for a thread are bounded in number and in the request
 * bytes they hold: beyond either bound a call is refused with {@link Busy} at once, rather than
 * letting a burst of large calls to a slow method fill the heap. Other tasks (a stream's next
 * items, cleanups) are never refused while the pool runs.
 */
final class CallExecutor extends ThreadPoolExecutor {
  /** Tasks handed to {@link #execute} and not yet finished: running or queued. */
  private final AtomicInteger submitted = new AtomicInteger();
  private final int maxQueuedCalls;
  private final long maxQueuedBytes;
  /** Calls handed to {@link #executeCall} that have not started yet. */
  private final AtomicInteger queuedCalls = new AtomicInteger();
  /** The request bytes of those calls. */
  private final AtomicLong queuedBytes = new AtomicLong();

  /** A pool whose waiting calls are bounded by the defaults of {@link ServerLimits}. */
  CallExecutor(int maxThreads, Duration keepAlive, ThreadFactory threads) {
    this(maxThreads, ServerLimits.DEFAULT_MAX_QUEUED_CALLS, ServerLimits.DEFAULT_MAX_QUEUED_BYTES,
        keepAlive, threads);
  }

  CallExecutor(int maxThreads, int maxQueuedCalls, long maxQueuedBytes, Duration keepAlive,
      ThreadFactory threads) {
    super(0, maxThreads, keepAlive.toNanos(), TimeUnit.NANOSECONDS, new GrowFirstQueue(), threads,
        new QueueWhenFull());
    ((GrowFirstQueue) getQueue()).pool = this;
    this.maxQueuedCalls = maxQueuedCalls;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /**
   * Runs a call whose request is {@code bytes} long, unless {@value
   * ServerLimits#DEFAULT_MAX_QUEUED_CALLS} (or the configured number of) calls wait for a thread
   * already, or the waiting calls would hold more request bytes than allowed (a call is let wait
   * alone whatever its size).
   *
   * @throws Busy when a bound is reached; the call is not run
   * @throws RejectedExecutionException when the pool is shut down
   */
  void executeCall(Runnable call, long bytes) {
    int calls = queuedCalls.incrementAndGet();
    long held = queuedBytes.addAndGet(bytes);
    if (calls > maxQueuedCalls || (held > maxQueuedBytes && calls > 1)) {
      queuedCalls.decrementAndGet();
      queuedBytes.addAndGet(-bytes);
      throw new Busy(calls > maxQueuedCalls
          ? "server busy: " + maxQueuedCalls + " calls queued for a thread (maxQueuedCalls "
              + maxQueuedCalls + ", maxThreads " + getMaximumPoolSize() + "); try again later"
          : "server busy: the queued calls hold " + (held - bytes) + " bytes of requests, this "
              + bytes + " more would pass maxQueuedBytes " + maxQueuedBytes
              + "; try again later");
    }
    try {
      execute(new Waiting(call, bytes));
    } catch (RuntimeException | Error e) {
      started(bytes);
      throw e;
    }
  }

  /** Calls waiting for a thread now; for tests and diagnostics. */
  int queuedCalls() {
    return queuedCalls.get();
  }

  /** The request bytes those calls hold. */
  long queuedBytes() {
    return queuedBytes.get();
  }

  private void started(long bytes) {
    queuedCalls.decrementAndGet();
    queuedBytes.addAndGet(-bytes);
  }

  /** A call refused because too many calls, or too many bytes, wait for a thread. */
  static final class Busy extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    Busy(String message) {
      super(message);
    }
  }

  /** A call that counts as queued until a thread takes it. */
  private final class Waiting implements Runnable {
    private final Runnable call;
    private final long bytes;

    Waiting(Runnable call, long bytes) {
      this.call = call;
      this.bytes = bytes;
    }

    @Override
    public void run() {
      started(bytes);
      call.run();
    }
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
