package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The server process is killed (SIGKILL) while 8 threads call it through one IpcClient, then
 * started again on the same port. In between, every call fails fast with {@link
 * IpcUnavailableException} (no hang until the deadline); afterwards the same client works again
 * by itself. The recovery time (from the new server's READY to its first answer) goes to the
 * test's output for docs/reliability.md.
 */
class ProcessKillTest {
  private static final int THREADS = 8;
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  /** A failed call must end well within the deadline. */
  private static final long FAIL_FAST_MILLIS = 2_000;

  /** What the callers saw. */
  private static final class Seen {
    final AtomicLong successes = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong slowestFailureNanos = new AtomicLong();
    final AtomicLong firstAnswerAfterReady = new AtomicLong(Long.MAX_VALUE);
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    volatile long readyNanos;
    final CountDownLatch beforeKill = new CountDownLatch(THREADS * 25);
    final CountDownLatch failed = new CountDownLatch(THREADS * 3);
    final CountDownLatch afterRestart = new CountDownLatch(THREADS * 25);
    volatile boolean stop;
  }

  @Test
  void theSameClientRecoversAfterTheServerProcessIsKilledAndRestarted() throws Exception {
    Seen seen = new Seen();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    ChildProcess second = null;
    try (ChildProcess first = ChildProcess.start(0);
        IpcClient client = IpcClient.builder().name(ChildServer.NAME).host("127.0.0.1")
            .port(first.port()).deadline(DEADLINE).build()) {
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        SplittableRandom random = new SplittableRandom(t);
        callers.add(pool.submit(() -> callUntilStopped(client, random, seen)));
      }
      assertTrue(seen.beforeKill.await(60, TimeUnit.SECONDS), "no calls before the kill");
      long firstPid = (Long) client.getExposedObject().call("pid");
      assertEquals(first.pid(), firstPid);

      first.kill();
      long killed = System.nanoTime();
      assertTrue(seen.failed.await(30, TimeUnit.SECONDS), "calls did not fail after the kill");
      assertFalse(client.serverAvailable());

      second = ChildProcess.start(first.port());
      seen.readyNanos = second.readyNanos();
      assertTrue(seen.afterRestart.await(60, TimeUnit.SECONDS),
          "the client did not recover; the new server printed:\n" + second.output());
      seen.stop = true;
      for (Future<?> caller : callers) {
        caller.get(30, TimeUnit.SECONDS);
      }
      assertEquals(second.pid(), (Long) client.getExposedObject().call("pid"));
      assertTrue(client.serverAvailable());

      long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(
          seen.firstAnswerAfterReady.get() - seen.readyNanos);
      long outageMillis = TimeUnit.NANOSECONDS.toMillis(seen.readyNanos - killed);
      long slowestFailure = TimeUnit.NANOSECONDS.toMillis(seen.slowestFailureNanos.get());
      System.out.println("FAULT-RESTART threads=" + THREADS + " successes="
          + seen.successes.get() + " failures=" + seen.failures.get() + " slowestFailureMillis="
          + slowestFailure + " outageMillis=" + outageMillis + " recoveryMillis="
          + recoveryMillis);
      assertEquals(List.of(), seen.problems);
      assertTrue(slowestFailure < FAIL_FAST_MILLIS, "a failed call took " + slowestFailure
          + " ms");
      assertTrue(recoveryMillis >= 0 && recoveryMillis < 10_000, "recovery took "
          + recoveryMillis + " ms");
    } finally {
      seen.stop = true;
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
      if (second != null) {
        second.close();
      }
    }
  }

  /** Calls add until told to stop; after a failure it paces itself so as not to spin. */
  private static Void callUntilStopped(IpcClient client, SplittableRandom r, Seen seen) {
    while (!seen.stop) {
      long a = r.nextLong(1L << 40);
      long b = r.nextLong(1L << 40);
      long start = System.nanoTime();
      boolean afterReady = seen.readyNanos != 0;
      try {
        Object sum = client.getExposedObject().call("add", a, b);
        long end = System.nanoTime();
        if (!Long.valueOf(a + b).equals(sum)) {
          seen.problems.add("add(" + a + ", " + b + ") answered " + sum);
        }
        seen.successes.incrementAndGet();
        seen.beforeKill.countDown();
        if (afterReady) {
          seen.firstAnswerAfterReady.accumulateAndGet(end, Math::min);
          seen.afterRestart.countDown();
        }
      } catch (IpcUnavailableException e) {
        seen.failures.incrementAndGet();
        seen.slowestFailureNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
        seen.failed.countDown();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // pacing, not synchronisation
      } catch (RuntimeException e) {
        if (seen.problems.size() < 10) {
          seen.problems.add("not IpcUnavailableException: " + e);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
    return null;
  }
}
