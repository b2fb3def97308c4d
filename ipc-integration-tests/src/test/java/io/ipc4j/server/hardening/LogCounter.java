package io.ipc4j.server.hardening;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts, and keeps off the console, what some java.util.logging loggers write while a suite
 * runs: a hostile request that grpc logs with a stack trace is a figure for the report, not
 * noise in the build output.
 */
final class LogCounter implements AutoCloseable {
  private final List<Logger> loggers = new ArrayList<>();
  private final List<Boolean> usedParents = new ArrayList<>();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      counts.computeIfAbsent(record.getLoggerName() + " " + record.getLevel(),
          k -> new AtomicLong()).incrementAndGet();
      synchronized (counts) {
        counts.notifyAll();
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /** Starts counting what {@code names} log at any level. */
  LogCounter(String... names) {
    handler.setLevel(Level.ALL);
    for (String name : names) {
      Logger logger = Logger.getLogger(name);
      loggers.add(logger);
      usedParents.add(logger.getUseParentHandlers());
      logger.addHandler(handler);
      logger.setUseParentHandlers(false);
    }
  }

  /** Records per logger and level, sorted. */
  Map<String, Long> counts() {
    Map<String, Long> sorted = new TreeMap<>();
    counts.forEach((k, v) -> sorted.put(k, v.get()));
    return sorted;
  }

  /**
   * Waits until {@code key} ("logger LEVEL") has been logged {@code count} times, or {@code
   * timeout} has passed (a logger may write after the call it logs about has been answered).
   */
  Map<String, Long> await(String key, long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (counts) {
      while (counts.getOrDefault(key, new AtomicLong()).get() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        counts.wait(Math.max(1, left / 1_000_000));
      }
    }
    return counts();
  }

  @Override
  public void close() {
    for (int i = 0; i < loggers.size(); i++) {
      loggers.get(i).removeHandler(handler);
      loggers.get(i).setUseParentHandlers(usedParents.get(i));
    }
  }
}
