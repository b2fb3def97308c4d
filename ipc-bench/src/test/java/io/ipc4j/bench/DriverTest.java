package io.ipc4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
    assertTrue(markdown.contains("![results-add.svg](results-add.svg)"), markdown);
    assertTrue(Files.readString(dir.resolve("results-echo-1k.svg"))
        .contains("data-system=\"typed gRPC\""));
    assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count(),
        "every JVM the driver started has ended");
  }

  @Test
  void callbacksRunOnSessionsAndAreSetBesideAddOthersSayTheyAreNotMeasured() throws Exception {
    Path out = dir.resolve("results.md");
    int code = Driver.run("--systems", "ipc4j-session,grpc", "--scenarios",
        "add,callback,callback-leg", "--threads", "2", "--prewarm", "0.3", "--warmup", "0.1",
        "--measure", "0.3", "--heap", "256m", "--out", out.toString());
    assertEquals(0, code);
    String markdown = Files.readString(out);
    List<String> rows = markdown.lines().filter(l -> l.startsWith("| ipc4j cbor session")
        || l.startsWith("| typed gRPC")).toList();
    assertEquals(5, rows.size(), "add for both, the callbacks for ipc4j only, and ipc4j's row of"
        + " callbacks over add: " + markdown);
    assertTrue(rows.stream().noneMatch(r -> r.contains("FAILED")), markdown);
    assertTrue(markdown.contains("typed gRPC: call + callback not measured (it has no callbacks"
        + " here).\n"), markdown);
    assertTrue(markdown.contains("Callbacks over add, each system on its own"), markdown);
    assertTrue(markdown.lines().anyMatch(l -> l.matches(
        "\\| ipc4j cbor session +\\| +2 \\|( +[0-9.]+ \\|){4}")), markdown);
    assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count(),
        "every JVM the driver started has ended");
  }

  @Test
  void pyro4IsSkippedWithAReasonWherePythonCannotImportIt() throws Exception {
    Path out = dir.resolve("results.md");
    Path noPython = dir.resolve("no-python");
    int code = Driver.run("--systems", "grpc,pyro4", "--scenarios", "add", "--threads", "1",
        "--prewarm", "0", "--warmup", "0.1", "--measure", "0.2", "--heap", "256m",
        "--python", noPython.toString(), "--out", out.toString());
    assertEquals(0, code, "a skipped system is no failure");
    String markdown = Files.readString(out);
    assertTrue(markdown.contains("Pyro4: not measured (no Python: cannot run '" + noPython
        + "' ("), markdown);
    assertTrue(markdown.lines().noneMatch(l -> l.startsWith("| Pyro4")), markdown);
  }

  @Test
  void pyro4RunsWherePythonImportsIt() throws Exception {
    String python = Stream.of("python3", "/usr/bin/python3")
        .filter(p -> Pyro4Script.unavailable(p) == null).findFirst().orElse(null);
    assumeTrue(python != null, "Pyro4 is not installed");
    Path out = dir.resolve("results.md");
    int code = Driver.run("--systems", "pyro4", "--scenarios", "add,echo-1k", "--threads", "2",
        "--prewarm", "0.2", "--warmup", "0.1", "--measure", "0.3", "--python", python,
        "--out", out.toString());
    assertEquals(0, code);
    String markdown = Files.readString(out);
    List<String> rows = markdown.lines().filter(l -> l.startsWith("| Pyro4")).toList();
    assertEquals(2, rows.size(), markdown);
    assertTrue(rows.stream().noneMatch(r -> r.contains("FAILED")), markdown);
    assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count(),
        "both Python processes have ended");
  }

  @Test
  void aBadCommandLineExitsWithTwo() throws Exception {
    assertEquals(2, Driver.run("--threads", "none"));
  }
}
