package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcClient;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The call threads: idle ones are reused, new ones start only while all are busy, up to max. */
class CallExecutorTest {
  private static final ThreadFactory DAEMONS = r -> {
    Thread t = new Thread(r, "call-executor-test");
    t.setDaemon(true);
    return t;
  };

  @Test
  void oneTaskAtATimeNeedsNoNewThreads() throws Exception {
    CallExecutor pool = new CallExecutor(16, Duration.ofSeconds(30), DAEMONS);
    try {
      for (int i = 0; i < 200; i++) {
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(ran::countDown);
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        awaitIdle(pool);
      }
      assertEquals(1, pool.getLargestPoolSize());
    } finally {
      shutDown(pool);
    }
  }

  @Test
  void busyThreadsMakeNewOnesUpToTheMaximumThenTasksQueue() throws Exception {
    CallExecutor pool = new CallExecutor(2, Duration.ofSeconds(30), DAEMONS);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    try {
      for (int i = 0; i < 5; i++) {
        pool.execute(() -> {
          running.incrementAndGet();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          done.incrementAndGet();
        });
      }
      assertEquals(2, pool.getPoolSize());
      assertEquals(3, pool.getQueue().size());
      release.countDown();
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
      assertEquals(5, done.get());
      assertEquals(2, pool.getLargestPoolSize());
    } finally {
      shutDown(pool);
    }
  }

  @Test
  void shutDownPoolRefusesTasks() throws Exception {
    CallExecutor pool = new CallExecutor(2, Duration.ofSeconds(30), DAEMONS);
    shutDown(pool);
    RejectedExecutionException e =
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
    assertEquals("the server's threads are shut down", e.getMessage());
  }

  @Test
  void sequentialCallsReuseTheServersThreads() throws Exception {
    String name = "reuse-" + UUID.randomUUID();
    try (IpcServer server = IpcServer.builder().name(name).expose(new ClientCloseTest.Echo())
            .maxThreads(16).inProcess(name).start();
        IpcClient client = IpcClient.builder().name(name).inProcess(name).build()) {
      assertTrue(server.isRunning());
      for (int i = 0; i < 50; i++) {
        assertEquals("x", client.getExposedObject().call("echo", "x"));
      }
      Set<String> threads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
          .filter(n -> n.startsWith("ipc-server-" + name + "-"))
          .collect(Collectors.toSet());
      // A call hands the pool one task, whose thread may still be finishing when the next call
      // comes; a pool with core == max would start a new thread for each until it had 16.
      assertTrue(threads.size() <= 3, "threads after 50 sequential calls: " + threads);
    }
  }

  /** Waits until no thread runs a task (its bookkeeping after the task included). */
  private static void awaitIdle(CallExecutor pool) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pool.getActiveCount() > 0) {
      assertTrue(System.nanoTime() < deadline, "a task never finished");
      Thread.onSpinWait();
    }
  }

  private static void shutDown(CallExecutor pool) throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }
}
