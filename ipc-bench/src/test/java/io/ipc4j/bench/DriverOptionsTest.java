package io.ipc4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver's command line. */
class DriverOptionsTest {
  @Test
  void defaultsAreTheFullRun() {
    DriverOptions o = DriverOptions.parse();
    assertEquals(Duration.ofSeconds(15), o.prewarm());
    assertEquals(Duration.ofSeconds(5), o.warmup());
    assertEquals(Duration.ofSeconds(10), o.measure());
    assertEquals(List.of(Contender.IPC4J_JSON, Contender.IPC4J_CBOR, Contender.GRPC,
        Contender.RMI), o.systems());
    assertEquals("python3", o.python());
    assertEquals(List.of(Scenario.ADD, Scenario.ECHO_1K, Scenario.ECHO_1M), o.scenarios(),
        "the callback scenarios run only when asked for");
    assertEquals(List.of(1, 16, 64), o.threads());
    assertEquals("1g", o.heap());
    assertEquals(Path.of("target", "results.md"), o.out());
  }

  @Test
  void quickAndExplicitChoices() {
    DriverOptions o = DriverOptions.parse("--quick", "--systems", "rmi,grpc", "--scenarios",
        "echo-1m", "--threads", "2", "--measure", "0.5", "--jvm-arg", "-Xss1m");
    assertEquals(Duration.ofSeconds(2), o.prewarm());
    assertEquals(Duration.ofSeconds(1), o.warmup());
    assertEquals(Duration.ofMillis(500), o.measure());
    assertEquals(List.of(Contender.RMI, Contender.GRPC), o.systems());
    assertEquals(List.of(Scenario.ECHO_1M), o.scenarios());
    assertEquals(List.of(2), o.threads());
    assertEquals(List.of("-Xss1m"), o.jvmArgs());
  }

  @Test
  void mistakesNameTheOption() {
    assertEquals("unknown option '--fast'", message("--fast"));
    assertEquals("--warmup needs a value", message("--warmup"));
    assertEquals("--measure needs seconds, was 'ten'", message("--measure", "ten"));
    assertEquals("--threads needs positive numbers, was '0'", message("--threads", "1,0"));
    assertEquals("unknown system 'dubbo'; known: ipc4j-json, ipc4j-cbor, ipc4j-unix,"
        + " ipc4j-inline, grpc, rmi,"
        + " grpc-deadline, pyro4, ipc4j-session, grpc-stream, grpc-stream-pool, ipc4j-otel,"
        + " ipc4j-otel-ratio",
        message("--systems", "dubbo"));
    assertEquals("unknown scenario 'echo'; known: add, echo-1k, echo-1m, callback, callback-leg",
        message("--scenarios", "echo"));
    assertEquals("--measure must be more than 0 seconds", message("--measure", "0"));
  }

  private static String message(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> DriverOptions.parse(args))
        .getMessage();
  }
}
