package io.ipc4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table, the ratios and the targets computed from one run's cells. */
class ReportTest {
  private static CellResult cell(Contender c, Scenario s, int threads, long callsPerSecond,
      long p50Micros, int serverThreads) {
    return new CellResult(c, s, threads, callsPerSecond * 10, 10.0, p50Micros * 1000,
        p50Micros * 3000, callsPerSecond * 10 * 50_000, serverThreads, 200 * 1024, null);
  }

  private static final List<CellResult> RUN = List.of(
      cell(Contender.IPC4J_JSON, Scenario.ADD, 1, 9_000, 110, 30),
      cell(Contender.IPC4J_CBOR, Scenario.ADD, 1, 10_000, 100, 30),
      cell(Contender.GRPC, Scenario.ADD, 1, 8_000, 100, 30),
      cell(Contender.RMI, Scenario.ADD, 1, 20_000, 40, 30),
      cell(Contender.IPC4J_JSON, Scenario.ADD, 16, 60_000, 250, 40),
      cell(Contender.IPC4J_CBOR, Scenario.ADD, 16, 90_000, 170, 40),
      cell(Contender.GRPC, Scenario.ADD, 16, 40_000, 400, 50),
      cell(Contender.RMI, Scenario.ADD, 16, 75_000, 200, 45),
      cell(Contender.IPC4J_JSON, Scenario.ADD, 64, 60_000, 1000, 41),
      cell(Contender.IPC4J_CBOR, Scenario.ADD, 64, 90_000, 700, 41),
      cell(Contender.GRPC, Scenario.ADD, 64, 40_000, 1600, 98),
      cell(Contender.RMI, Scenario.ADD, 64, 75_000, 800, 93),
      cell(Contender.IPC4J_JSON, Scenario.ECHO_1M, 1, 200, 5000, 30),
      cell(Contender.IPC4J_CBOR, Scenario.ECHO_1M, 1, 450, 2200, 30),
      CellResult.failed(Contender.GRPC, Scenario.ECHO_1M, 1, "broken pipe"),
      cell(Contender.RMI, Scenario.ECHO_1M, 1, 350, 2800, 30));

  /** The cells of a Markdown table's body, trimmed. */
  private static List<List<String>> rows(String table) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : table.split("\n")) {
      String inner = line.substring(1, line.length() - 1);
      rows.add(Arrays.stream(inner.split("\\|")).map(String::trim).toList());
    }
    return rows.subList(2, rows.size());
  }

  @Test
  void tableShowsEveryCellWithItsUnits() {
    List<List<String>> rows = rows(new Report(RUN).table());
    assertEquals(16, rows.size());
    assertEquals(List.of("ipc4j cbor", "add(int,int)", "16", "90,000", "170", "510", "-", "50.0",
        "40", "200"), rows.get(5));
    assertEquals(List.of("ipc4j cbor", "echo 1 MiB", "1", "450", "2,200", "6,600", "471.9",
        "50.0", "30", "200"), rows.get(13));
    assertEquals(List.of("typed gRPC", "echo 1 MiB", "1", "FAILED", "-", "-", "-", "-", "-",
        "-"), rows.get(14));
  }

  @Test
  void ratiosPerCell() {
    List<List<String>> rows = rows(new Report(RUN).ratios());
    // The columns of cbor over a Unix socket and of inline cbor are "-" without their cells.
    assertEquals(List.of("add(int,int)", "16", "1.50", "2.25", "0.80", "1.20", "0.63", "0.43",
        "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"), rows.get(1));
    assertEquals(List.of("echo 1 MiB", "1", "-", "-", "0.57", "1.29", "-", "-", "-", "-", "-",
        "-", "-", "-", "-", "-", "-", "-"), rows.get(3));
  }

  @Test
  void ratiosOverPyro4WhereItRan() {
    List<CellResult> run = new ArrayList<>(RUN);
    run.add(cell(Contender.PYRO4, Scenario.ADD, 16, 5_000, 1_700, 19));
    List<List<String>> rows = rows(new Report(run).ratios());
    assertEquals(List.of("18.00", "0.10"), rows.get(1).subList(12, 14),
        "cbor/Pyro4 calls/s and p50 at 16 threads");
    assertEquals(List.of("-", "-"), rows.get(0).subList(12, 14), "no Pyro4 cell at 1 thread");
  }

  /** RUN plus ipc4j over a session and typed gRPC over one stream with a pool. */
  private static List<CellResult> withSessions() {
    List<CellResult> run = new ArrayList<>(RUN);
    run.add(cell(Contender.IPC4J_SESSION, Scenario.ADD, 1, 12_000, 50, 30));
    run.add(cell(Contender.GRPC_STREAM_POOL, Scenario.ADD, 1, 16_000, 45, 30));
    run.add(cell(Contender.IPC4J_SESSION, Scenario.ADD, 16, 150_000, 100, 33));
    run.add(cell(Contender.GRPC_STREAM_POOL, Scenario.ADD, 16, 200_000, 80, 31));
    run.add(cell(Contender.IPC4J_SESSION, Scenario.ADD, 64, 90_000, 700, 40));
    run.add(cell(Contender.IPC4J_SESSION, Scenario.ECHO_1M, 1, 500, 2000, 30));
    return run;
  }

  @Test
  void ratiosOfSessionsOverUnaryRmiAndTheStreamCeiling() {
    List<List<String>> rows = rows(new Report(withSessions()).ratios());
    assertEquals(List.of("1.50", "0.60", "0.75", "1.25"), rows.get(0).subList(14, 18),
        "session over typed gRPC, RMI, stream pool; p50 over RMI at 1 thread");
    assertEquals(List.of("3.75", "2.00", "0.75", "0.50"), rows.get(1).subList(14, 18),
        "at 16 threads");
    assertEquals(List.of("2.25", "1.20", "-", "0.88"), rows.get(2).subList(14, 18),
        "no stream pool cell at 64 threads");
    assertEquals(List.of("-", "1.43", "-", "0.71"), rows.get(3).subList(14, 18),
        "typed gRPC's 1 MiB echo failed");
  }

  @Test
  void sessionTargetsSayWhetherTheyHold() {
    List<List<String>> rows = rows(new Report(withSessions()).targets());
    assertEquals(14, rows.size(), "six targets before, six of sessions, two of telemetry");
    assertEquals(List.of(
        List.of("session: add at 16 threads ≥ 1.0× RMI calls/s", "ipc4j cbor session @16 2.00×",
            "yes"),
        List.of("session: add at 64 threads ≥ 1.3× RMI calls/s", "ipc4j cbor session @64 1.20×",
            "no"),
        List.of("session: add p50 at 1 thread ≤ 1.3× RMI", "ipc4j cbor session @1 1.25×", "yes"),
        List.of("session: add at 16 threads ≥ 3.0× typed gRPC calls/s",
            "ipc4j cbor session @16 3.75×", "yes"),
        List.of("session: echo 1 MiB ≥ 1.0× typed gRPC MB/s", "ipc4j cbor session @1 n/a", "n/a"),
        List.of("session: server threads bounded under 64 clients (add, 16 → 64 threads)",
            "ipc4j cbor session 33 → 40 threads", "no")), rows.subList(6, 12));
  }

  @Test
  void telemetryTargetsPoolEveryCellOfTheRun() {
    List<CellResult> run = new ArrayList<>(withSessions());
    run.add(cell(Contender.IPC4J_SESSION, Scenario.ADD, 16, 130_000, 100, 33));
    run.add(cell(Contender.IPC4J_OTEL, Scenario.ADD, 16, 120_000, 110, 36));
    run.add(cell(Contender.IPC4J_OTEL, Scenario.ADD, 16, 150_000, 100, 36));
    run.add(cell(Contender.IPC4J_OTEL, Scenario.ADD, 16, 90_000, 150, 36));
    run.add(cell(Contender.IPC4J_OTEL_RATIO, Scenario.ADD, 16, 130_000, 100, 36));
    run.add(CellResult.failed(Contender.IPC4J_OTEL_RATIO, Scenario.ADD, 16, "the client died"));
    run.add(cell(Contender.IPC4J_OTEL, Scenario.ADD, 64, 10_000, 1000, 36));
    List<List<String>> rows = rows(new Report(run).targets());
    assertEquals(List.of(
        List.of("telemetry: add at 16 threads ≥ 0.90× calls/s without (ipc4j cbor session otel)",
            "0.86× (3 cells over 2)", "no"),
        List.of("telemetry: add at 16 threads ≥ 0.90× calls/s without "
            + "(ipc4j cbor session otel 10%)", "0.93× (1 cells over 2)", "yes")),
        rows.subList(12, 14));
    assertEquals("n/a", rows(new Report(RUN).targets()).get(12).get(2), "no telemetry cells");
  }

  @Test
  void sessionTargetsAreNotApplicableWithoutSessionCells() {
    List<List<String>> rows = rows(new Report(RUN).targets());
    assertEquals(List.of("session: add at 16 threads ≥ 1.0× RMI calls/s",
        "ipc4j cbor session @16 n/a", "n/a"), rows.get(6));
    assertEquals(List.of("session: server threads bounded under 64 clients (add, 16 → 64 threads)",
        "n/a", "n/a"), rows.get(11));
  }

  @Test
  void targetsSayWhetherTheyHold() {
    List<List<String>> rows = rows(new Report(RUN).targets());
    assertEquals(List.of("add at 16 and 64 threads ≥ 1.0× RMI calls/s",
        "ipc4j json @16 0.80×, ipc4j json @64 0.80×, ipc4j cbor @16 1.20×, ipc4j cbor @64 1.20×",
        "no"), rows.get(0));
    assertEquals("yes", rows.get(1).get(2), "json and cbor ≥ 1.5× typed gRPC");
    assertEquals(List.of("add p50 at 1 thread ≤ 1.1× typed gRPC",
        "ipc4j json @1 1.10×, ipc4j cbor @1 1.00×", "yes"), rows.get(2));
    assertEquals(List.of("echo 1 MiB, ipc4j cbor ≥ 1.0× typed gRPC MB/s", "ipc4j cbor @1 n/a",
        "n/a"), rows.get(4));
    assertEquals("yes", rows.get(5).get(2), "ipc4j's server threads stay at 40-41");
    assertEquals("ipc4j json 40 → 41 threads, 200 MiB; ipc4j cbor 40 → 41 threads, 200 MiB;"
        + " typed gRPC 50 → 98 threads, 200 MiB; RMI 45 → 93 threads, 200 MiB",
        rows.get(5).get(1));
  }

  @Test
  void failuresAreListed() {
    assertEquals("- typed gRPC, echo 1 MiB, 1 threads: broken pipe\n",
        new Report(RUN).failures());
  }

  @Test
  void callbacksAreSetBesideTheSameSystemsAdd() {
    List<CellResult> run = new ArrayList<>(RUN);
    run.add(cell(Contender.RMI, Scenario.CALLBACK, 1, 5_000, 160, 30));
    run.add(cell(Contender.RMI, Scenario.CALLBACK_LEG, 1, 10_000, 100, 30));
    run.add(CellResult.failed(Contender.RMI, Scenario.CALLBACK, 16, "broken pipe"));
    run.add(cell(Contender.RMI, Scenario.CALLBACK_LEG, 16, 30_000, 500, 30));
    List<List<String>> rows = rows(new Report(run).callbacks());
    assertEquals(List.of(
        List.of("RMI", "1", "0.25", "4.00", "0.50", "2.50"),
        List.of("RMI", "16", "-", "-", "0.40", "2.50")), rows);
    assertEquals("", new Report(RUN).callbacks(), "no callback scenario ran");
  }
}
