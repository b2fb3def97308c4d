package io.ipc4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole harness, briefly: a server JVM and a client JVM, a table, nothing left running. */
class DriverTest {
  @TempDir
  Path dir;

  @Test
  void runsSeparateJvmsWritesTheTableAndStopsThem() throws Exception {
    Path out = dir.resolve("results.md");
    int code = Driver.run("--systems", "grpc", "--scenarios", "add,echo-1k", "--threads", "2",
        "--prewarm", "0.2", "--warmup", "0.1", "--measure", "0.3", "--heap", "256m",
        "--out", out.toString());
    assertEquals(0, code);
    String markdown = Files.readString(out);
    List<String> rows = markdown.lines().filter(l -> l.startsWith("| typed gRPC")).toList();
    assertEquals(2, rows.size(), markdown);
    assertTrue(rows.stream().noneMatch(r -> r.contains("FAILED")), markdown);
    assertTrue(markdown.contains("Machine: "), markdown);
    assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count(),
        "every JVM the driver started has ended");
  }

  @Test
  void aBadCommandLineExitsWithTwo() throws Exception {
    assertEquals(2, Driver.run("--threads", "none"));
  }
}
