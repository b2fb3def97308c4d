package io.ipc4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipc4j.client.IpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each system's server and client, in this JVM: every scenario answers correctly. */
class SystemsTest {
  @TempDir
  Path dir;

  @ParameterizedTest // Pyro4 runs in Python: DriverTest runs it where it is installed
  @EnumSource(value = Contender.class, names = "PYRO4", mode = EnumSource.Mode.EXCLUDE)
  void everyScenarioAnswersCorrectly(Contender contender) throws Exception {
    assumeTrue(contender != Contender.IPC4J_UNIX || OS.current() == OS.LINUX,
        "Unix domain sockets need Netty's epoll transport (Linux)");
    try (BenchServer server = BenchServer.start(contender, dir);
        Endpoint endpoint = Endpoint.connect(contender, server.address())) {
      assertEquals(-1_999_999_998, endpoint.add(1_000_000_000, 1_294_967_298),
          "add overflows as Java's int does");
      byte[] data = {1, 2, 3};
      assertArrayEquals(data, endpoint.echo(data));
      assertArrayEquals(new byte[0], endpoint.echo(new byte[0]));
      if (contender.runs(Scenario.CALLBACK)) {
        assertEquals(42, endpoint.callBack(20, 22), "the client's adder answered");
        assertEquals(1 + 2 + 3, endpoint.callBackTimes(1, 3), "adder.add(1, i) for i below 3");
      } else if (contender.id.startsWith("ipc4j")) {
        IpcException e = assertThrows(IpcException.class, () -> endpoint.callBack(20, 22));
        assertTrue(e.getMessage().startsWith("callBack passes a @Remote io.ipc4j.bench.Adder,"
            + " which travels by reference over a session; this client has none (sessions are"
            + " off, or the server offers none) (bench.callBack at "), e.getMessage());
      } else {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
            () -> endpoint.callBack(20, 22));
        assertEquals("no callbacks", e.getMessage());
      }
      for (Scenario s : Scenario.values()) {
        if (!contender.runs(s)) {
          continue;
        }
        for (int thread = 0; thread < 2; thread++) {
          Caller caller = new Caller(contender, endpoint, s, thread);
          for (int i = 0; i < 2; i++) {
            caller.call(); // throws when an answer is wrong
          }
        }
      }
    }
    if (contender == Contender.RMI) {
      try (var files = Files.list(dir)) {
        assertTrue(files.findAny().isEmpty(), "the RMI stub file is deleted on close");
      }
    }
  }
}
