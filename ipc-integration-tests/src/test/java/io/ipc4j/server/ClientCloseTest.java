package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcUnavailableException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** IpcClient.awaitTermination and IpcServer.isTerminated: telling that nothing is left. */
class ClientCloseTest {

  public static final class Echo {
    public String echo(String s) {
      return s;
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void clientTerminatesAfterClose(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(IpcServer.builder().expose(new Echo()))) {
      IpcClient client = served.client().build();
      assertEquals("hi", client.getExposedObject().call("echo", "hi"));
      assertFalse(client.awaitTermination(Duration.ofMillis(20)), "terminated while open");

      client.close();
      assertTrue(client.awaitTermination(Duration.ofSeconds(5)));
      assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject().call("echo", "closed"));
      client.close(); // idempotent
      assertTrue(client.awaitTermination(Duration.ZERO));
    }
  }

  @Test
  void awaitTerminationRejectsNull() {
    try (IpcClient client = IpcClient.builder().port(1).build()) {
      NullPointerException e =
          assertThrows(NullPointerException.class, () -> client.awaitTermination(null));
      assertEquals("timeout == null", e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void serverIsTerminatedOnlyOnceStopped(Transport transport) throws Exception {
    IpcServer.Builder builder = IpcServer.builder().expose(new Echo());
    Transport.Address address = transport.newAddress();
    IpcServer server = address.serve(builder).build();
    assertFalse(server.isTerminated(), "terminated before start");
    server.start();
    try (IpcClient client = address.client().build()) {
      assertEquals("up", client.getExposedObject().call("echo", "up"));
      assertFalse(server.isTerminated(), "terminated while running");
      server.stop();
      assertTrue(server.isTerminated());
      assertTrue(server.awaitTermination(Duration.ZERO));
    } finally {
      server.stop();
    }
  }

  @Test
  void serverStoppedBeforeStartIsTerminated() {
    IpcServer server = IpcServer.builder().expose(new Echo()).port(0).build();
    server.stop();
    assertTrue(server.isTerminated());
  }
}
