package io.ipc4j.datastore;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits between retries; tests put in one that records the delays instead of sleeping. */
@FunctionalInterface
interface Sleeper {
  Sleeper REAL = delay -> TimeUnit.NANOSECONDS.sleep(delay.toNanos());

  void sleep(Duration delay) throws InterruptedException;
}
