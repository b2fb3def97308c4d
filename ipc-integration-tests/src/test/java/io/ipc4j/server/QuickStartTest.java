package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's quick start, over real TCP. */
class QuickStartTest {

  public interface Greeter {
    String greet(String who);
  }

  public static final class Store implements Greeter {
    @Override
    public String greet(String who) {
      return "hello " + who;
    }

    public Map<String, Object> info(int n, List<String> tags) {
      return Map.of("n", n, "tags", tags);
    }
  }

  @Test
  void dynamicAndTypedCallsOverTcp() throws Exception {
    try (IpcServer server = IpcServer.builder().expose(new Store()).port(0).start();
        IpcClient client = IpcClient.builder().port(server.port()).build()) {
      assertTrue(client.serverAvailable());
      assertEquals("hello you", client.getExposedObject().call("greet", "you"));
      assertEquals(Map.of("n", 3L, "tags", List.of("a", "b")),
          client.getExposedObject().call("info", 3, List.of("a", "b")));
      assertEquals("hello typed", client.getExposedObject(Greeter.class).greet("typed"));
      server.stop();
      assertFalse(client.serverAvailable());
    }
  }
}
