package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthCommandTest {
  private IpcServer server;
  private String port;

  @BeforeEach
  void start() throws IOException {
    server = IpcServer.builder().expose(new Object() {}).port(0).start();
    port = String.valueOf(server.port());
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void servingExitsZero() {
    Cli.Result r = Cli.run("health", "--port", port);
    assertEquals(new Cli.Result(0, "SERVING\n", ""), r);
  }

  @Test
  void objectNotServedExitsThree() {
    Cli.Result r = Cli.run("health", "--port", port, "--name", "other");
    assertEquals(new Cli.Result(3, "NOT_SERVING\n", ""), r);
  }

  @Test
  void stoppedServerExitsThree() {
    server.stop();
    Cli.Result r = Cli.run("health", "--port", port);
    assertEquals(new Cli.Result(3, "NOT_SERVING\n", ""), r);
  }

  @Test
  void waitAsksAgainUntilTheTimeIsUp() {
    server.stop();
    long start = System.nanoTime();
    Cli.Result r = Cli.run("health", "--port", port, "--wait", "300ms");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(new Cli.Result(3, "NOT_SERVING\n", ""), r);
    assertTrue(took.compareTo(Duration.ofMillis(300)) >= 0, "took " + took);
  }

  @Test
  void waitAnswersAtOnceWhenServing() {
    Cli.Result r = Cli.run("health", "--port", port, "--wait", "30s");
    assertEquals(new Cli.Result(0, "SERVING\n", ""), r);
  }
}
