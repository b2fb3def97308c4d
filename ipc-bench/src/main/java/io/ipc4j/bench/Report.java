package io.ipc4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The run's Markdown: one table of every cell, the ratios of ipc4j to typed gRPC, RMI and Pyro4
 * per cell (and of ipc4j's sessions to typed gRPC over one stream, their ceiling), and ipc4j's
 * performance targets with the measured values next to them.
 */
final class Report {
  private static final Contender[] IPC4J = {Contender.IPC4J_JSON, Contender.IPC4J_CBOR};

  private final List<CellResult> results;

  Report(List<CellResult> results) {
    this.results = List.copyOf(results);
  }

  /** The table of every cell, in the order of the list given. */
  String table() {
    MarkdownTable t = new MarkdownTable("system", "scenario", ">threads", ">calls/s", ">p50 µs",
        ">p99 µs", ">MB/s", ">CPU µs/call", ">srv threads", ">srv RSS MiB");
    for (CellResult r : results) {
      if (!r.ok()) {
        t.row(r.contender().label, r.scenario().label, String.valueOf(r.threads()),
            "FAILED", "-", "-", "-", "-", "-", "-");
        continue;
      }
      t.row(r.contender().label, r.scenario().label, String.valueOf(r.threads()),
          format("%,.0f", r.callsPerSecond()), micros(r.p50Nanos()), micros(r.p99Nanos()),
          r.megabytesPerSecond() < 0 ? "-" : format("%.1f", r.megabytesPerSecond()),
          r.cpuMicrosPerCall() < 0 ? "-" : format("%.1f", r.cpuMicrosPerCall()),
          r.serverThreads() < 0 ? "-" : String.valueOf(r.serverThreads()),
          r.serverRssKb() < 0 ? "-" : format("%.0f", r.serverRssKb() / 1024.0));
    }
    return t.toString();
  }

  /** The failures, one per line; empty when every cell passed. */
  String failures() {
    StringBuilder s = new StringBuilder();
    for (CellResult r : results) {
      if (!r.ok()) {
        s.append("- ").append(r.contender().label).append(", ").append(r.scenario().label)
            .append(", ").append(r.threads()).append(" threads: ").append(r.failure())
            .append('\n');
      }
    }
    return s.toString();
  }

  /**
   * Per cell: ipc4j's calls/s over typed gRPC's and RMI's (above 1 is faster), and ipc4j's p50
   * over typed gRPC's (below 1 is faster); for json, cbor and cbor with {@code @NonBlocking}
   * methods ({@code inline}); cbor over Pyro4; and cbor over a session ({@code session}) over
   * typed gRPC, RMI and typed gRPC on one stream answered by a pool (the ceiling), p50 over RMI.
   */
  String ratios() {
    MarkdownTable t = new MarkdownTable("scenario", ">threads", ">json/gRPC", ">cbor/gRPC",
        ">json/RMI", ">cbor/RMI", ">p50 json/gRPC", ">p50 cbor/gRPC", ">cbor unix/TCP",
        ">inline/gRPC", ">inline/RMI", ">p50 inline/gRPC", ">cbor/Pyro4", ">p50 cbor/Pyro4",
        ">session/gRPC", ">session/RMI", ">session/stream pool", ">p50 session/RMI");
    for (CellResult grpcOrAny : cells()) {
      Scenario s = grpcOrAny.scenario();
      int n = grpcOrAny.threads();
      t.row(s.label, String.valueOf(n),
          ratio(s, n, Contender.IPC4J_JSON, Contender.GRPC, CellResult::callsPerSecond),
          ratio(s, n, Contender.IPC4J_CBOR, Contender.GRPC, CellResult::callsPerSecond),
          ratio(s, n, Contender.IPC4J_JSON, Contender.RMI, CellResult::callsPerSecond),
          ratio(s, n, Contender.IPC4J_CBOR, Contender.RMI, CellResult::callsPerSecond),
          ratio(s, n, Contender.IPC4J_JSON, Contender.GRPC, r -> r.p50Nanos()),
          ratio(s, n, Contender.IPC4J_CBOR, Contender.GRPC, r -> r.p50Nanos()),
          ratio(s, n, Contender.IPC4J_UNIX, Contender.IPC4J_CBOR, CellResult::callsPerSecond),
          ratio(s, n, Contender.IPC4J_INLINE, Contender.GRPC, CellResult::callsPerSecond),
          ratio(s, n, Contender.IPC4J_INLINE, Contender.RMI, CellResult::callsPerSecond),
          ratio(s, n, Contender.IPC4J_INLINE, Contender.GRPC, r -> r.p50Nanos()),
          ratio(s, n, Contender.IPC4J_CBOR, Contender.PYRO4, CellResult::callsPerSecond),
          ratio(s, n, Contender.IPC4J_CBOR, Contender.PYRO4, r -> r.p50Nanos()),
          ratio(s, n, Contender.IPC4J_SESSION, Contender.GRPC, CellResult::callsPerSecond),
          ratio(s, n, Contender.IPC4J_SESSION, Contender.RMI, CellResult::callsPerSecond),
          ratio(s, n, Contender.IPC4J_SESSION, Contender.GRPC_STREAM_POOL,
              CellResult::callsPerSecond),
          ratio(s, n, Contender.IPC4J_SESSION, Contender.RMI, r -> r.p50Nanos()));
    }
    return t.toString();
  }

  /**
   * Per system and threads that ran a callback scenario: its calls/s and p50 over the same
   * system's {@code add} (one call with a callback inside; each callback of the leg); empty when
   * no callback scenario ran.
   */
  String callbacks() {
    MarkdownTable t = new MarkdownTable("system", ">threads", ">callback/add", ">p50 callback/add",
        ">leg/add", ">p50 leg/add");
    boolean any = false;
    for (CellResult r : results) {
      boolean first = results.stream().filter(o -> o.scenario().callsBack()
          && o.contender() == r.contender() && o.threads() == r.threads()).findFirst()
          .orElse(null) == r;
      if (!first) {
        continue;
      }
      any = true;
      Contender c = r.contender();
      int n = r.threads();
      t.row(c.label, String.valueOf(n),
          ratio(c, n, Scenario.CALLBACK, CellResult::callsPerSecond),
          ratio(c, n, Scenario.CALLBACK, r2 -> r2.p50Nanos()),
          ratio(c, n, Scenario.CALLBACK_LEG, CellResult::callsPerSecond),
          ratio(c, n, Scenario.CALLBACK_LEG, r2 -> r2.p50Nanos()));
    }
    return any ? t.toString() : "";
  }

  /** {@code c}'s {@code metric} in scenario {@code s} over its own in {@code add}. */
  private String ratio(Contender c, int threads, Scenario s, ToDoubleFunction<CellResult> metric) {
    CellResult mine = find(s, threads, c);
    CellResult add = find(Scenario.ADD, threads, c);
    if (mine == null || add == null || !mine.ok() || !add.ok()) {
      return "-";
    }
    double b = metric.applyAsDouble(add);
    return b > 0 ? format("%.2f", metric.applyAsDouble(mine) / b) : "-";
  }

  /** ipc4j's performance targets, each with the values of this run and whether it holds. */
  String targets() {
    MarkdownTable t = new MarkdownTable("target", "this run", "holds");
    List<Double> values = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Contender c : IPC4J) {
      for (int n : new int[] {16, 64}) {
        values.add(add(text, c, n, Scenario.ADD, Contender.RMI, CellResult::callsPerSecond));
      }
    }
    t.row("add at 16 and 64 threads ≥ 1.0× RMI calls/s", text.toString(), holds(values, 1.0, true));
    values.clear();
    text.setLength(0);
    for (Contender c : IPC4J) {
      for (int n : new int[] {16, 64}) {
        values.add(add(text, c, n, Scenario.ADD, Contender.GRPC, CellResult::callsPerSecond));
      }
    }
    t.row("add at 16 and 64 threads ≥ 1.5× typed gRPC calls/s", text.toString(),
        holds(values, 1.5, true));
    values.clear();
    text.setLength(0);
    for (Contender c : IPC4J) {
      values.add(add(text, c, 1, Scenario.ADD, Contender.GRPC, r -> r.p50Nanos()));
    }
    t.row("add p50 at 1 thread ≤ 1.1× typed gRPC", text.toString(), holds(values, 1.1, false));
    for (Contender c : IPC4J) {
      double bound = c == Contender.IPC4J_CBOR ? 1.0 : 0.5;
      values.clear();
      text.setLength(0);
      for (int n : threadCounts(Scenario.ECHO_1M)) {
        values.add(add(text, c, n, Scenario.ECHO_1M, Contender.GRPC,
            CellResult::megabytesPerSecond));
      }
      t.row("echo 1 MiB, " + c.label + " ≥ " + format("%.1f", bound) + "× typed gRPC MB/s",
          text.toString(), holds(values, bound, true));
    }
    text.setLength(0);
    String bounded = "n/a";
    for (Contender c : Contender.values()) {
      CellResult at16 = find(Scenario.ADD, 16, c);
      CellResult at64 = find(Scenario.ADD, 64, c);
      if (at64 != null && at64.serverThreads() >= 0) {
        text.append(text.length() == 0 ? "" : "; ").append(c.label).append(' ')
            .append(at16 == null ? "?" : at16.serverThreads()).append(" → ")
            .append(at64.serverThreads()).append(" threads, ")
            .append(format("%.0f", at64.serverRssKb() / 1024.0)).append(" MiB");
        if (c == Contender.IPC4J_CBOR && at16 != null) {
          bounded = at64.serverThreads() <= at16.serverThreads() + 2 ? "yes" : "no";
        }
      }
    }
    t.row("server threads bounded under 64 clients (add, 16 → 64 threads; RSS at 64)",
        text.toString(), bounded);
    sessionTargets(t);
    telemetryTargets(t);
    return t.toString();
  }

  /**
   * The targets of telemetry: {@code add} at 16 threads with ipc-opentelemetry on both ends keeps
   * at least 90 % of the calls/s of the same session without it, each system's cells pooled (a
   * run measures a cell several times, {@code --threads 16,16,16,...}, to even out a shared
   * machine).
   */
  private void telemetryTargets(MarkdownTable t) {
    for (Contender c : List.of(Contender.IPC4J_OTEL, Contender.IPC4J_OTEL_RATIO)) {
      List<CellResult> with = all(Scenario.ADD, 16, c);
      List<CellResult> without = all(Scenario.ADD, 16, Contender.IPC4J_SESSION);
      if (with.isEmpty() || without.isEmpty()) {
        t.row("telemetry: add at 16 threads ≥ 0.90× calls/s without (" + c.label + ")", "n/a",
            "n/a");
        continue;
      }
      double r = mean(with) / mean(without);
      t.row("telemetry: add at 16 threads ≥ 0.90× calls/s without (" + c.label + ")",
          format("%.2f×", r) + " (" + with.size() + " cells over " + without.size() + ")",
          r >= 0.90 ? "yes" : "no");
    }
  }

  /** The cells of {@code c} in {@code s} at {@code threads} that passed, in the order they ran. */
  private List<CellResult> all(Scenario s, int threads, Contender c) {
    return results.stream().filter(r -> r.scenario() == s && r.threads() == threads
        && r.contender() == c && r.ok()).toList();
  }

  private static double mean(List<CellResult> cells) {
    return cells.stream().mapToDouble(CellResult::callsPerSecond).average().orElse(Double.NaN);
  }

  /** The targets of ipc4j cbor over a session, one row each. */
  private void sessionTargets(MarkdownTable t) {
    ToDoubleFunction<CellResult> calls = CellResult::callsPerSecond;
    sessionRow(t, "session: add at 16 threads ≥ 1.0× RMI calls/s", Scenario.ADD, List.of(16),
        Contender.RMI, calls, 1.0, true);
    sessionRow(t, "session: add at 64 threads ≥ 1.3× RMI calls/s", Scenario.ADD, List.of(64),
        Contender.RMI, calls, 1.3, true);
    sessionRow(t, "session: add p50 at 1 thread ≤ 1.3× RMI", Scenario.ADD, List.of(1),
        Contender.RMI, r -> r.p50Nanos(), 1.3, false);
    sessionRow(t, "session: add at 16 threads ≥ 3.0× typed gRPC calls/s", Scenario.ADD,
        List.of(16), Contender.GRPC, calls, 3.0, true);
    sessionRow(t, "session: echo 1 MiB ≥ 1.0× typed gRPC MB/s", Scenario.ECHO_1M,
        threadCounts(Scenario.ECHO_1M), Contender.GRPC, CellResult::megabytesPerSecond, 1.0,
        true);
    CellResult at16 = find(Scenario.ADD, 16, Contender.IPC4J_SESSION);
    CellResult at64 = find(Scenario.ADD, 64, Contender.IPC4J_SESSION);
    String text = "n/a";
    String bounded = "n/a";
    if (at16 != null && at64 != null && at16.serverThreads() >= 0 && at64.serverThreads() >= 0) {
      text = Contender.IPC4J_SESSION.label + " " + at16.serverThreads() + " → "
          + at64.serverThreads() + " threads";
      bounded = at64.serverThreads() <= at16.serverThreads() + 2 ? "yes" : "no";
    }
    t.row("session: server threads bounded under 64 clients (add, 16 → 64 threads)", text,
        bounded);
  }

  private void sessionRow(MarkdownTable t, String target, Scenario s, List<Integer> threads,
      Contender base, ToDoubleFunction<CellResult> metric, double bound, boolean atLeast) {
    List<Double> values = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int n : threads) {
      values.add(add(text, Contender.IPC4J_SESSION, n, s, base, metric));
    }
    t.row(target, text.length() == 0 ? "n/a" : text.toString(), holds(values, bound, atLeast));
  }

  private double add(StringBuilder text, Contender c, int threads, Scenario s, Contender base,
      ToDoubleFunction<CellResult> metric) {
    double r = ratioValue(s, threads, c, base, metric);
    text.append(text.length() == 0 ? "" : ", ").append(c.label).append(" @").append(threads)
        .append(' ').append(Double.isNaN(r) ? "n/a" : format("%.2f×", r));
    return r;
  }

  private static String holds(List<Double> values, double bound, boolean atLeast) {
    if (values.isEmpty() || values.stream().anyMatch(v -> Double.isNaN(v))) {
      return "n/a";
    }
    return values.stream().allMatch(v -> atLeast ? v >= bound : v <= bound) ? "yes" : "no";
  }

  private List<Integer> threadCounts(Scenario s) {
    return results.stream().filter(r -> r.scenario() == s).map(CellResult::threads).distinct()
        .sorted().toList();
  }

  /** One result per (scenario, threads), in the order they ran. */
  private List<CellResult> cells() {
    List<CellResult> firsts = new ArrayList<>();
    for (CellResult r : results) {
      if (firsts.stream().noneMatch(
          f -> f.scenario() == r.scenario() && f.threads() == r.threads())) {
        firsts.add(r);
      }
    }
    return firsts;
  }

  private String ratio(Scenario s, int threads, Contender c, Contender base,
      ToDoubleFunction<CellResult> metric) {
    double r = ratioValue(s, threads, c, base, metric);
    return Double.isNaN(r) ? "-" : format("%.2f", r);
  }

  private double ratioValue(Scenario s, int threads, Contender c, Contender base,
      ToDoubleFunction<CellResult> metric) {
    CellResult mine = find(s, threads, c);
    CellResult theirs = find(s, threads, base);
    if (mine == null || theirs == null || !mine.ok() || !theirs.ok()) {
      return Double.NaN;
    }
    double b = metric.applyAsDouble(theirs);
    return b > 0 ? metric.applyAsDouble(mine) / b : Double.NaN;
  }

  private CellResult find(Scenario s, int threads, Contender c) {
    for (CellResult r : results) {
      if (r.scenario() == s && r.threads() == threads && r.contender() == c) {
        return r;
      }
    }
    return null;
  }

  private static String micros(long nanos) {
    double us = nanos / 1e3;
    return us < 100 ? format("%.1f", us) : format("%,.0f", us);
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }
}
