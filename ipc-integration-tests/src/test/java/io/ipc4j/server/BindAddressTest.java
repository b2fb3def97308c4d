package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcClient;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way to make a server resolves its address the same way: loopback by default, protected
 * mode for anything else. Each test reads the address from the running server's listening
 * sockets, and where the machine has a network address, checks that nobody can connect there.
 */
class BindAddressTest {

  /** The exposed object. */
  public static final class Echo {
    public String echo(String s) {
      return s;
    }
  }

  @TempDir
  Path dir;

  @Test
  void theConstructorBindsLoopbackOnly() throws Exception {
    IpcServer server = new IpcServer(new Echo());
    try {
      server.start();
    } catch (BindException e) {
      Assumptions.abort("port 9099, the default, is taken on this machine: " + e.getMessage());
    }
    try (server; IpcClient client = new IpcClient()) {
      assertListensOnLoopbackOnly(server, 9099);
      assertEquals("IpcServer{127.0.0.1:9099, objects=[kodi-IPC]}", server.toString());
      assertEquals("hi", client.getExposedObject().call("echo", "hi"));
    }
  }

  @Test
  void theBuilderBindsLoopbackByDefault() throws Exception {
    try (IpcServer server = IpcServer.builder().expose(new Echo()).port(0).start()) {
      assertListensOnLoopbackOnly(server, server.port());
      assertEquals("IpcServer{127.0.0.1:" + server.port() + ", objects=[kodi-IPC]}",
          server.toString());
    }
  }

  @Test
  void aSettingsFileIsResolvedTheSameWay() throws Exception {
    Path file = Files.writeString(dir.resolve("settings.xml"),
        "<settings version=\"2\">\n  <setting id=\"host\" value=\"localhost\"/>\n"
            + "  <setting id=\"port\" value=\"0\"/>\n</settings>\n", StandardCharsets.UTF_8);
    try (IpcServer server = IpcServer.builder().expose(new Echo()).host("0.0.0.0").insecure()
            .settings(file).start()) {
      assertListensOnLoopbackOnly(server, server.port());
    }
  }

  @Test
  void beforeStartHostNamesTheAddressThatWillBeBound() {
    IpcServer server = IpcServer.builder().expose(new Echo()).host("localhost").port(0).build();
    assertEquals(InetAddress.getLoopbackAddress().getHostAddress(), server.host());
    assertEquals("IpcServer{127.0.0.1:0, objects=[kodi-IPC]}", server.toString());
  }

  @Test
  void aTakenPortNamesTheAddressThatWasTried() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      IpcServer server = IpcServer.builder().expose(new Echo()).host("localhost")
          .port(taken.getLocalPort()).build();
      BindException e = assertThrows(BindException.class, server::start);
      assertEquals("cannot bind 127.0.0.1:" + taken.getLocalPort()
          + ": address already in use (tried 6 times, 10 ms apart)", e.getMessage());
    }
  }

  @Test
  void aNonLoopbackHostIsRefusedOnEveryPath() throws Exception {
    String refusal = "refusing to serve 0.0.0.0:0 (not loopback) without a token or client"
        + " certificates; set token(...) or credentials(...) that require client certificates, or"
        + " call insecure() to let anyone who reaches it call your objects";
    IpcServer.Builder builder = IpcServer.builder().expose(new Echo()).host("0.0.0.0").port(0);
    assertEquals(refusal,
        assertThrows(IllegalStateException.class, builder::build).getMessage());
    assertEquals(refusal,
        assertThrows(IllegalStateException.class, builder::start).getMessage());
    Path file = Files.writeString(dir.resolve("ipc.properties"), "host=0.0.0.0\nport=0\n");
    IpcServer.Builder fromFile = IpcServer.builder().expose(new Echo()).settings(file);
    assertEquals(refusal,
        assertThrows(IllegalStateException.class, fromFile::build).getMessage());
  }

  @Test
  void aBuilderReusedAfterBuildLeavesTheFirstServerAsItWas() throws Exception {
    Path file = Files.writeString(dir.resolve("ipc.properties"), "name=from-file\n");
    IpcServer.Builder builder = IpcServer.builder().expose(new Echo()).port(0).settings(file);
    IpcServer first = builder.build();
    builder.name("changed").host("0.0.0.0").token("t0ken").port(1).expose("second", new Echo())
        .maxThreads(1);
    try (first) {
      first.start();
      assertEquals("from-file", first.name());
      assertListensOnLoopbackOnly(first, first.port());
      assertEquals("IpcServer{127.0.0.1:" + first.port() + ", objects=[from-file]}",
          first.toString());
      try (IpcClient client = IpcClient.builder().host("127.0.0.1").port(first.port())
          .name("from-file").build()) {
        assertEquals("no token", client.getExposedObject().call("echo", "no token"));
      }
    }
  }

  /**
   * Asserts that the running server listens on loopback and port {@code port} only, and, when
   * this machine has a network address, that a connection to that address is refused.
   */
  private static void assertListensOnLoopbackOnly(IpcServer server, int port) throws IOException {
    List<SocketAddress> listening = server.listenAddresses();
    assertEquals(1, listening.size(), listening.toString());
    InetSocketAddress address = (InetSocketAddress) listening.get(0);
    assertTrue(address.getAddress().isLoopbackAddress(), "listens on " + address);
    assertEquals(port, address.getPort());
    assertEquals(address.getAddress().getHostAddress(), server.host());
    Optional<InetAddress> network = networkAddress();
    if (network.isPresent()) {
      try (Socket socket = new Socket()) {
        assertThrows(ConnectException.class,
            () -> socket.connect(new InetSocketAddress(network.get(), port), 2000),
            "reachable on " + network.get());
      }
    }
    assertFalse(address.getAddress().isAnyLocalAddress(), "listens on every interface");
  }

  /** An IPv4 address of this machine that is not loopback, if it has one. */
  private static Optional<InetAddress> networkAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
            return Optional.of(a);
          }
        }
      }
    }
    return Optional.empty();
  }
}
