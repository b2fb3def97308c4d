package io.ipc4j.client;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the answers of asynchronous session calls are read and their futures completed. A
 * session's answers arrive on the transport's thread, which must not run a caller's code (a {@code
 * thenApply} that blocks would stall every call of the connection); blocking callers need no
 * thread of their own, since they read their answer themselves. Shared by all clients, as grpc's
 * own default executor is: daemon threads, started when needed, ended after a minute idle.
 */
final class AnswerThreads {
  private AnswerThreads() {}

  private static final AtomicInteger count = new AtomicInteger();

  /** The executor: a cached pool of daemon threads named {@code ipc4j-answer-N}. */
  static final Executor EXECUTOR = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
      TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "ipc4j-answer-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
}
