package io.ipc4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's table read back, so that its charts can be drawn again from the Markdown. */
class ResultsTableTest {
  private static final List<CellResult> RUN = List.of(
      new CellResult(Contender.IPC4J_CBOR, Scenario.ADD, 16, 216_080, 10.0, 698_000, 1_628_000,
          216_080L * 77_100, 38, 486 * 1024, null),
      new CellResult(Contender.PYRO4, Scenario.ECHO_1K, 1, 23_000, 10.0, 95_300, 5_388_000,
          -1, 7, 21_100, null),
      CellResult.failed(Contender.GRPC, Scenario.ECHO_1M, 64, "broken pipe"));

  @Test
  void readsBackWhatTheReportWrote() {
    String markdown = "Run of ...\n\n" + new Report(RUN).table() + "\nRatios ...\n";
    List<CellResult> cells = ResultsTable.parse(markdown);
    assertEquals(3, cells.size());
    CellResult cbor = cells.get(0);
    assertEquals(Contender.IPC4J_CBOR, cbor.contender());
    assertEquals(Scenario.ADD, cbor.scenario());
    assertEquals(16, cbor.threads());
    assertEquals(21_608, cbor.callsPerSecond(), 0.5);
    assertEquals(698_000, cbor.p50Nanos());
    assertEquals(1_628_000, cbor.p99Nanos());
    assertEquals(77.1, cbor.cpuMicrosPerCall(), 0.05);
    assertEquals(38, cbor.serverThreads());
    assertEquals(486 * 1024, cbor.serverRssKb());
    CellResult pyro = cells.get(1);
    assertEquals(Contender.PYRO4, pyro.contender());
    assertEquals(95_300, pyro.p50Nanos(), "a p50 under 100 µs is written with a decimal");
    assertEquals(-1, pyro.cpuNanos());
    assertFalse(cells.get(2).ok());
    assertEquals(Scenario.ECHO_1M, cells.get(2).scenario());
  }

  @Test
  void skipsOtherTablesAndNamesABadRow() {
    String ratios = new Report(RUN).ratios();
    assertEquals(List.of(), ResultsTable.parse(ratios));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ResultsTable.parse("| RMI | add(int,int) | 1 | lots | 1 | 2 | - | 5 | 3 | 4 |"));
    assertEquals("cannot read the row '| RMI | add(int,int) | 1 | lots | 1 | 2 | - | 5 | 3 | 4 |':"
        + " For input string: \"lots\"", e.getMessage());
  }
}
