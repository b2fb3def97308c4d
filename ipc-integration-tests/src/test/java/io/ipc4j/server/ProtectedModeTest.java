package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ipc4j.client.IpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Like Redis's protected mode: a server binds loopback unless told otherwise, and refuses a
 * non-loopback address without a token, client certificates or an explicit {@code insecure()}. These tests bind
 * 0.0.0.0 but only ever connect to 127.0.0.1.
 */
class ProtectedModeTest {

  /** The exposed object. */
  public static final class Echo {
    public String echo(String s) {
      return s;
    }
  }

  @TempDir
  Path dir;

  private static String refusal(String host) {
    return "refusing to serve " + host + ":0 (not loopback) without a token or client"
        + " certificates; set token(...) or credentials(...) that require client certificates, or"
        + " call insecure() to let anyone who reaches it call your objects";
  }

  @Test
  void aNonLoopbackAddressWithoutTlsOrTokenIsRefusedAtBuild() {
    for (String host : List.of("0.0.0.0", "::")) {
      IpcServer.Builder builder = IpcServer.builder().expose(new Echo()).host(host).port(0);
      IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
      assertEquals(refusal(host), e.getMessage());
    }
  }

  @Test
  void aHostFromTheSettingsFileIsCheckedToo() throws Exception {
    Path file = Files.writeString(dir.resolve("settings.properties"), "host=0.0.0.0\nport=0\n");
    IpcServer.Builder builder = IpcServer.builder().expose(new Echo()).settings(file);
    assertEquals(refusal("0.0.0.0"),
        assertThrows(IllegalStateException.class, builder::build).getMessage());
  }

  @Test
  void loopbackNeedsNothing() throws Exception {
    for (String host : List.of("localhost", "127.0.0.1")) {
      try (IpcServer server = IpcServer.builder().expose(new Echo()).host(host).port(0).start();
          IpcClient client = IpcClient.builder().host(host).port(server.port()).build()) {
        assertEquals(host, client.getExposedObject().call("echo", host));
      }
    }
  }

  @Test
  void aTokenAllowsAnyAddress() throws Exception {
    try (IpcServer server = IpcServer.builder().expose(new Echo()).host("0.0.0.0").port(0)
            .token("t0ken").start();
        IpcClient client = IpcClient.builder().host("127.0.0.1").port(server.port())
            .token("t0ken").build()) {
      assertEquals("with token", client.getExposedObject().call("echo", "with token"));
    }
  }

  @Test
  void insecureAllowsAnyAddress() throws Exception {
    try (IpcServer server = IpcServer.builder().expose(new Echo()).host("0.0.0.0").port(0)
            .insecure().start();
        IpcClient client = IpcClient.builder().host("127.0.0.1").port(server.port()).build()) {
      assertEquals("insecure", client.getExposedObject().call("echo", "insecure"));
    }
  }

  @Test
  void inProcessServersAreNotOnTheNetwork() throws Exception {
    Transport.Address address = Transport.IN_PROCESS.newAddress();
    try (IpcServer server = address.serve(IpcServer.builder().expose(new Echo()).host("0.0.0.0"))
            .start();
        IpcClient client = address.client().build()) {
      assertEquals(-1, server.port());
      assertEquals("in-process", client.getExposedObject().call("echo", "in-process"));
    }
  }
}
