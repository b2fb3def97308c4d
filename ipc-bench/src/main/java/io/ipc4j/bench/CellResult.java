package io.ipc4j.bench;

/**
 * What one cell measured. Travels from the client JVM to the driver as one tab-separated line.
 *
 * @param contender who was measured
 * @param scenario which call
 * @param threads how many client threads called at once
 * @param calls calls completed in the measured window, each checked
 * @param seconds the measured window
 * @param p50Nanos the median call duration
 * @param p99Nanos the 99th percentile call duration
 * @param cpuNanos CPU time of client and server JVMs together in the window; -1 when unknown
 * @param serverThreads the most threads the server JVM had in the window; -1 when unknown
 * @param serverRssKb the largest resident size of the server JVM in the window; -1 when unknown
 * @param failure why the cell failed, or null
 */
record CellResult(Contender contender, Scenario scenario, int threads, long calls,
    double seconds, long p50Nanos, long p99Nanos, long cpuNanos, int serverThreads,
    long serverRssKb, String failure) {

  static final String PREFIX = "RESULT";

  static CellResult failed(Contender contender, Scenario scenario, int threads, String why) {
    return new CellResult(contender, scenario, threads, 0, 0, -1, -1, -1, -1, -1, why);
  }

  boolean ok() {
    return failure == null;
  }

  double callsPerSecond() {
    return seconds > 0 ? calls / seconds : 0;
  }

  /** Payload megabytes (10^6 bytes) echoed per second, counted once; -1 for {@code add}. */
  double megabytesPerSecond() {
    return scenario.payloadBytes == 0 ? -1 : callsPerSecond() * scenario.payloadBytes / 1e6;
  }

  /** Client plus server CPU microseconds per call; -1 when unknown. */
  double cpuMicrosPerCall() {
    return cpuNanos < 0 || calls == 0 ? -1 : cpuNanos / 1e3 / calls;
  }

  String toLine() {
    return String.join("\t", PREFIX, contender.id, scenario.id, String.valueOf(threads),
        String.valueOf(calls), String.valueOf(seconds), String.valueOf(p50Nanos),
        String.valueOf(p99Nanos), String.valueOf(cpuNanos), String.valueOf(serverThreads),
        String.valueOf(serverRssKb),
        failure == null ? "" : failure.replaceAll("\\s+", " "));
  }

  /** Reads a line written by {@link #toLine()}. */
  static CellResult parse(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 12 || !f[0].equals(PREFIX)) {
      throw new IllegalArgumentException("not a result line: '" + line + "'");
    }
    return new CellResult(Contender.byId(f[1]), Scenario.byId(f[2]), Integer.parseInt(f[3]),
        Long.parseLong(f[4]), Double.parseDouble(f[5]), Long.parseLong(f[6]),
        Long.parseLong(f[7]), Long.parseLong(f[8]), Integer.parseInt(f[9]),
        Long.parseLong(f[10]), f[11].isEmpty() ? null : f[11]);
  }
}
