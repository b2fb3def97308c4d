package io.ipc4j.bench;

import java.util.Arrays;
import java.util.List;

/** The durations of one thread's measured calls, in nanoseconds; merged and sorted at the end. */
final class Latencies {
  private long[] values = new long[1 << 14];
  private int size;

  void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  int size() {
    return size;
  }

  /** All threads' durations in one sorted array. */
  static long[] sorted(List<Latencies> all) {
    long[] merged = new long[all.stream().mapToInt(Latencies::size).sum()];
    int at = 0;
    for (Latencies l : all) {
      System.arraycopy(l.values, 0, merged, at, l.size);
      at += l.size;
    }
    Arrays.sort(merged);
    return merged;
  }

  /** The nearest-rank {@code p}-quantile (0 &lt; p &le; 1) of a sorted array; -1 when empty. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
