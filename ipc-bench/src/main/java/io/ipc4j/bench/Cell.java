package io.ipc4j.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one cell of the table: {@code threads} threads call one scenario as fast as they can,
 * first to warm up, then measured. A call counts when it completes inside the measured window;
 * its duration goes into the thread's {@link Latencies}. A call that makes several callbacks
 * counts as that many, each with its share of the duration. The first failed or wrong call stops
 * the cell and becomes its failure.
 */
final class Cell {
  private static final int WARMING = 0;
  private static final int MEASURING = 1;
  private static final int STOPPED = 2;
  private static final Duration SAMPLE_EVERY = Duration.ofMillis(250);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(120);

  private final Contender contender;
  private final Endpoint endpoint;
  private final Scenario scenario;
  private final int threads;
  private volatile int phase = WARMING;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch failed = new CountDownLatch(1);

  private Cell(Contender contender, Endpoint endpoint, Scenario scenario, int threads) {
    this.contender = contender;
    this.endpoint = endpoint;
    this.scenario = scenario;
    this.threads = threads;
  }

  /** Runs the cell and answers what it measured; never throws for a failed call. */
  static CellResult run(Contender contender, Endpoint endpoint, Scenario scenario, int threads,
      Duration warmup, Duration measure, ProcessProbe probe) throws InterruptedException {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive, was " + threads);
    }
    return new Cell(contender, endpoint, scenario, threads).run(warmup, measure, probe);
  }

  private CellResult run(Duration warmup, Duration measure, ProcessProbe probe)
      throws InterruptedException {
    List<Latencies> latencies = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    CountDownLatch started = new CountDownLatch(threads);
    for (int i = 0; i < threads; i++) {
      Latencies mine = new Latencies();
      latencies.add(mine);
      Caller caller = new Caller(contender, endpoint, scenario, i);
      Thread t = new Thread(() -> work(caller, mine, started),
          "bench-" + contender.id + "-" + scenario.id + "-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
    started.await();
    failed.await(warmup.toNanos(), TimeUnit.NANOSECONDS);
    phase = MEASURING;
    long start = System.nanoTime();
    long cpuStart = probe.cpuNanos();
    int serverThreads = -1;
    long serverRss = -1;
    long end = start + measure.toNanos();
    for (long now = start; now < end && failure.get() == null; now = System.nanoTime()) {
      serverThreads = Math.max(serverThreads, probe.serverThreads());
      serverRss = Math.max(serverRss, probe.serverRssKb());
      failed.await(Math.min(SAMPLE_EVERY.toNanos(), end - now), TimeUnit.NANOSECONDS);
    }
    phase = STOPPED;
    long stop = System.nanoTime();
    long cpuStop = probe.cpuNanos();
    long joinBy = stop + JOIN_TIMEOUT.toNanos();
    for (Thread t : workers) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinBy - System.nanoTime())));
      if (t.isAlive()) {
        return CellResult.failed(contender, scenario, threads, t.getName()
            + " still in a call " + JOIN_TIMEOUT.toSeconds() + " s after the cell ended");
      }
    }
    Throwable thrown = failure.get();
    if (thrown != null) {
      return CellResult.failed(contender, scenario, threads, describe(thrown));
    }
    long[] sorted = Latencies.sorted(latencies);
    if (sorted.length == 0) {
      return CellResult.failed(contender, scenario, threads,
          "no call completed in the measured window of " + measure.toMillis() + " ms");
    }
    long cpu = cpuStart < 0 || cpuStop < 0 ? -1 : cpuStop - cpuStart;
    long calls = (long) sorted.length * scenario.callsPerCall;
    return new CellResult(contender, scenario, threads, calls, (stop - start) / 1e9,
        Latencies.percentile(sorted, 0.50), Latencies.percentile(sorted, 0.99), cpu,
        serverThreads, serverRss, null);
  }

  private void work(Caller caller, Latencies latencies, CountDownLatch started) {
    started.countDown();
    try {
      while (phase != STOPPED) {
        long t0 = System.nanoTime();
        caller.call();
        long t1 = System.nanoTime();
        if (phase == MEASURING) {
          latencies.add((t1 - t0) / scenario.callsPerCall);
        }
      }
    } catch (Throwable t) {
      if (failure.compareAndSet(null, t)) {
        phase = STOPPED;
        failed.countDown();
      }
    }
  }

  private static String describe(Throwable t) {
    StringBuilder s = new StringBuilder(t.toString());
    for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      s.append("; caused by ").append(c);
    }
    return s.toString();
  }
}
