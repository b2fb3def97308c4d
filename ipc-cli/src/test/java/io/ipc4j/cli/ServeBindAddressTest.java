package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipc serve} binds what the library binds: loopback by default, also through a settings
 * file. Each test reads the listening sockets of the machine (Linux's /proc/net/tcp), not the
 * server's configuration, and tries to connect on the machine's network address, where nobody
 * may get through.
 */
class ServeBindAddressTest {
  @TempDir Path dir;

  @Test
  void serveListensOnLoopbackOnly() throws Exception {
    try (Serving serve = new Serving("--port", "0", "--data-dir", dir.toString())) {
      assertLoopbackOnly(Integer.parseInt(serve.port()));
      assertEquals(0, serve.stop());
    }
  }

  @Test
  void aSettingsFileHostIsBoundTheSameWay() throws Exception {
    Path settings = Files.writeString(dir.resolve("ipc.properties"), "host=localhost\nport=0\n");
    try (Serving serve = new Serving("--settings", settings.toString(), "--data-dir",
        dir.resolve("data").toString())) {
      assertLoopbackOnly(Integer.parseInt(serve.port()));
      assertEquals(0, serve.stop());
    }
  }

  private static void assertLoopbackOnly(int port) throws IOException {
    List<String> listening = listeningAddresses(port);
    if (listening != null) {
      assertEquals(List.of("127.0.0.1"), listening, "listening sockets on port " + port);
    }
    try (Socket loopback = new Socket(InetAddress.getLoopbackAddress(), port)) {
      assertTrue(loopback.isConnected());
    }
    for (InetAddress network : networkAddresses()) {
      try (Socket socket = new Socket()) {
        assertThrows(ConnectException.class,
            () -> socket.connect(new InetSocketAddress(network, port), 2000),
            "reachable on " + network);
      }
    }
  }

  /**
   * The local addresses of the TCP sockets listening on {@code port}, from /proc/net/tcp and
   * tcp6; null where the system has no such files.
   */
  private static List<String> listeningAddresses(int port) throws IOException {
    Path tcp = Path.of("/proc/net/tcp");
    if (!Files.exists(tcp)) {
      return null;
    }
    List<String> found = new ArrayList<>();
    for (Path table : List.of(tcp, Path.of("/proc/net/tcp6"))) {
      if (!Files.exists(table)) {
        continue;
      }
      for (String line : Files.readAllLines(table)) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st ...; st 0A is LISTEN
        if (f.length > 3 && f[3].equals("0A") && f[1].endsWith(":" + hexPort(port))) {
          found.add(address(f[1].substring(0, f[1].indexOf(':'))));
        }
      }
    }
    assertFalse(found.isEmpty(), "nothing listens on port " + port);
    return found;
  }

  private static String hexPort(int port) {
    return String.format("%04X", port);
  }

  /** A hex address as /proc/net writes it (32-bit words in host byte order, little-endian). */
  private static String address(String hex) throws IOException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        bytes[word * 4 + i] = (byte) Integer.parseInt(
            hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes).getHostAddress();
  }

  /** This machine's IPv4 addresses that are not loopback. */
  private static List<InetAddress> networkAddresses() throws IOException {
    List<InetAddress> all = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
            all.add(a);
          }
        }
      }
    }
    return all;
  }
}
