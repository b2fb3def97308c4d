package io.ipc4j.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Measures how many silent connections a server holds: 1,500 sockets that send nothing, against
 * the default cap of 1,000 and handshake timeout of 20 s. Runs only with {@code
 * -Dipc4j.measure=true}.
 */
class ConnectionsMeasure {
  private static final int SOCKETS = 1500;

  @Test
  void silentConnections() throws Exception {
    assumeTrue(Boolean.getBoolean("ipc4j.measure"), "set -Dipc4j.measure=true");
    List<Socket> sockets = new ArrayList<>();
    try (IpcServer server = IpcServer.builder().expose("echo", new ConnectionLimitsTest.Echo())
        .host("127.0.0.1").port(0).start()) {
      for (int i = 0; i < SOCKETS; i++) {
        sockets.add(new Socket(InetAddress.getLoopbackAddress(), server.port()));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.openConnections() < 1000 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      int held = server.openConnections();
      int closed = 0;
      for (Socket s : sockets) {
        s.setSoTimeout(1);
        try {
          if (s.getInputStream().read() == -1) {
            closed++;
          }
        } catch (SocketTimeoutException e) {
          // still open
        } catch (java.io.IOException e) {
          closed++;
        }
      }
      long start = System.nanoTime();
      while (server.openConnections() > 0 && System.nanoTime() - start < 60_000_000_000L) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
      System.out.println("CONNECTIONS " + SOCKETS + " silent sockets: server held " + held
          + ", closed at once " + closed + "; all closed by the handshake timeout after "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms more, open now "
          + server.openConnections());
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
