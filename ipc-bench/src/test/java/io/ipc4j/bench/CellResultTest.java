package io.ipc4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The result line between client JVM and driver, and the numbers derived from it. */
class CellResultTest {
  @Test
  void aResultSurvivesItsLine() {
    CellResult r = new CellResult(Contender.IPC4J_JSON, Scenario.ECHO_1M, 16, 5000, 10.0,
        2_000_000, 9_000_000, 30_000_000_000L, 40, 300_000, null);
    assertEquals(r, CellResult.parse(r.toLine()));
    assertEquals(500.0, r.callsPerSecond());
    assertEquals(500.0 * 1024 * 1024 / 1e6, r.megabytesPerSecond(), 1e-9);
    assertEquals(6000.0, r.cpuMicrosPerCall());
  }

  @Test
  void aFailureKeepsItsMessageOnOneLine() {
    CellResult r = CellResult.failed(Contender.RMI, Scenario.ADD, 1, "broken\n\tat x");
    CellResult back = CellResult.parse(r.toLine());
    assertEquals("broken at x", back.failure());
    assertEquals(-1, back.megabytesPerSecond());
  }

  @Test
  void anythingElseIsNotAResultLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CellResult.parse("READY"));
    assertEquals("not a result line: 'READY'", e.getMessage());
  }
}
