package io.ipc4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Merging the threads' durations and their nearest-rank percentiles. */
class LatenciesTest {
  @Test
  void mergesGrowsAndSorts() {
    Latencies a = new Latencies();
    for (int i = 40_000; i > 0; i--) {
      a.add(i);
    }
    Latencies b = new Latencies();
    b.add(0);
    long[] sorted = Latencies.sorted(List.of(a, b));
    assertEquals(40_001, sorted.length);
    assertEquals(0, sorted[0]);
    assertEquals(40_000, sorted[40_000]);
  }

  @Test
  void percentilesAreNearestRank() {
    long[] hundred = new long[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = i + 1;
    }
    assertEquals(50, Latencies.percentile(hundred, 0.50));
    assertEquals(99, Latencies.percentile(hundred, 0.99));
    assertEquals(7, Latencies.percentile(new long[] {7}, 0.99));
    assertEquals(-1, Latencies.percentile(new long[0], 0.5));
    assertArrayEquals(new long[0], Latencies.sorted(List.of()));
  }
}
