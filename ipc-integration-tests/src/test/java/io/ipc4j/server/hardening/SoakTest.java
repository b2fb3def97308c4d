package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.RemoteObject;
import io.ipc4j.server.IpcServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Load and soak on loopback: 64 client threads make mixed calls (typed and dynamic, JSON and
 * CBOR, bytes, remote exceptions, overloads, slow calls queueing behind a 16-thread server) for
 * 6 s in CI, 60 s with {@code -Dipc.hardening.long=true}. Every call sent must be answered, and
 * answered right; afterwards the heap, after a full GC, must be back within 20 MB of where it
 * started. Stops by itself.
 */
class SoakTest {
  private static final long HEAP_MARGIN = 20L * 1024 * 1024;
  private static final int SERVER_THREADS = 16;
  private static final int CLIENTS = 4;

  /** What the soak calls through typed proxies. */
  public interface Soak {
    long add(long a, long b);

    byte[] reverse(byte[] data);

    String fail(String message);

    String kind(int i);

    String kind(String s);

    String kind(long a, long b);

    String slow(int micros);
  }

  /** The server side. */
  public static final class Service implements Soak {
    @Override
    public long add(long a, long b) {
      return a + b;
    }

    @Override
    public byte[] reverse(byte[] data) {
      byte[] out = new byte[data.length];
      for (int i = 0; i < data.length; i++) {
        out[i] = data[data.length - 1 - i];
      }
      return out;
    }

    @Override
    public String fail(String message) {
      throw new IllegalArgumentException(message);
    }

    @Override
    public String kind(int i) {
      return "int " + i;
    }

    @Override
    public String kind(String s) {
      return "string " + s;
    }

    @Override
    public String kind(long a, long b) {
      return "longs " + (a - b);
    }

    @Override
    public String slow(int micros) {
      // Simulated work, so that calls queue behind the server's threads.
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
      return "slept " + micros;
    }
  }

  /** Counts of one run. */
  private static final class Counts {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong correct = new AtomicLong();
    final AtomicLong wrong = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  }

  @Test
  void everyCallIsAnsweredRightAndTheHeapComesBack() throws Exception {
    int threads = Hardening.soakThreads();
    int seconds = Hardening.soakSeconds();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Net.Served served = Net.TCP.start(IpcServer.builder().expose("soak", new Service())
        .maxThreads(SERVER_THREADS))) {
      List<IpcClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < CLIENTS; i++) {
          clients.add(served.client().name("soak").serializer(i % 2 == 0 ? "json" : "cbor")
              .build());
        }
        // Warm up: every path once per thread, so that pools and caches exist before the
        // baseline.
        run(pool, clients, threads, TimeUnit.SECONDS.toNanos(1), new Counts(), 1);
        long before = heapAfterGc(memory, 0, 3);

        Counts counts = new Counts();
        long start = System.nanoTime();
        run(pool, clients, threads, TimeUnit.SECONDS.toNanos(seconds), counts, 2);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        long after = heapAfterGc(memory, before + HEAP_MARGIN, 10);
        System.out.printf("SOAK threads=%d seconds=%d millis=%d sent=%d answered=%d correct=%d"
                + " wrong=%d lost=%d callsPerSecond=%d heapBeforeMB=%.1f heapAfterMB=%.1f%n",
            threads, seconds, millis, counts.sent.get(), counts.answered.get(),
            counts.correct.get(), counts.wrong.get(), counts.lost.get(),
            counts.sent.get() * 1000 / Math.max(1, millis), before / 1048576.0,
            after / 1048576.0);
        assertEquals(List.of(), counts.problems);
        assertEquals(0, counts.wrong.get(), "wrong answers");
        assertEquals(0, counts.lost.get(), "lost calls");
        assertEquals(counts.sent.get(), counts.answered.get(), "sent vs answered");
        assertEquals(counts.sent.get(), counts.correct.get(), "sent vs correct");
        assertTrue(counts.sent.get() >= threads * 10L, "hardly any calls: " + counts.sent);
        assertTrue(after <= before + HEAP_MARGIN, String.format(
            "heap after a full GC: %.1f MB, before: %.1f MB", after / 1048576.0,
            before / 1048576.0));
      } finally {
        clients.forEach(IpcClient::close);
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
  }

  /** Runs {@code threads} callers for {@code nanos}, all starting together. */
  private static void run(ExecutorService pool, List<IpcClient> clients, int threads,
      long nanos, Counts counts, long salt) throws Exception {
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      IpcClient client = clients.get(t % clients.size());
      SplittableRandom random = new SplittableRandom(salt * 1_000_003L + t);
      callers.add(pool.submit(() -> {
        Soak proxy = client.getExposedObject(Soak.class);
        RemoteObject dynamic = client.getExposedObject();
        ready.countDown();
        go.await();
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
          call(proxy, dynamic, random, counts);
        }
        return null;
      }));
    }
    assertTrue(ready.await(30, TimeUnit.SECONDS));
    go.countDown();
    for (Future<?> caller : callers) {
      caller.get(nanos / 1_000_000_000L + 60, TimeUnit.SECONDS);
    }
  }

  /** One call of a random kind; counts it as sent, answered, correct, wrong or lost. */
  private static void call(Soak proxy, RemoteObject dynamic, SplittableRandom r, Counts counts) {
    int op = r.nextInt(9);
    long a = r.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
    long b = r.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
    Object expected;
    counts.sent.incrementAndGet();
    Object got;
    try {
      switch (op) {
        case 0 -> {
          expected = a + b;
          got = proxy.add(a, b);
        }
        case 1 -> {
          expected = a + b;
          got = dynamic.call(Long.class, "add", a, b);
        }
        case 2 -> {
          byte[] data = new byte[r.nextInt(8192)];
          r.nextBytes(data);
          byte[] reversed = new Service().reverse(data);
          byte[] answer = proxy.reverse(data);
          expected = true;
          got = Arrays.equals(reversed, answer);
        }
        case 3 -> {
          String message = "no " + a;
          expected = "java.lang.IllegalArgumentException: " + message;
          try {
            got = "returned " + proxy.fail(message);
          } catch (IpcRemoteException e) {
            got = e.getRemoteClassName() + ": " + e.getRemoteMessage();
          }
        }
        case 4 -> {
          int i = (int) a;
          expected = "int " + i;
          got = proxy.kind(i);
        }
        case 5 -> {
          expected = "string " + b;
          got = proxy.kind(Long.toString(b));
        }
        case 6 -> {
          expected = "longs " + (a - b);
          got = proxy.kind(a, b);
        }
        case 7 -> {
          expected = "string x" + a;
          got = dynamic.call(String.class, "kind", "x" + a);
        }
        default -> {
          int micros = r.nextInt(2000);
          expected = "slept " + micros;
          got = proxy.slow(micros);
        }
      }
    } catch (RuntimeException e) {
      counts.lost.incrementAndGet();
      if (counts.problems.size() < 10) {
        counts.problems.add("op " + op + " lost: " + e);
      }
      return;
    }
    counts.answered.incrementAndGet();
    if (expected.equals(got)) {
      counts.correct.incrementAndGet();
    } else {
      counts.wrong.incrementAndGet();
      if (counts.problems.size() < 10) {
        counts.problems.add("op " + op + ": expected " + expected + " but got " + got);
      }
    }
  }

  /**
   * The least used heap after a full GC, tried up to {@code attempts} times until it is at most
   * {@code target} (a collection may leave garbage that the next one takes).
   */
  private static long heapAfterGc(MemoryMXBean memory, long target, int attempts) {
    long used = Long.MAX_VALUE;
    for (int attempt = 0; attempt < attempts && used > target; attempt++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
