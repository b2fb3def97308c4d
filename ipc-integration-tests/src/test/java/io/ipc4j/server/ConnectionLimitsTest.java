package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * What one TCP connection may hold, and how long: connections beyond the cap are closed at once,
 * a connection that never starts HTTP/2 is closed after the handshake timeout, one without calls
 * after the idle time; calls per connection are advertised, and floods of stream resets or pings
 * draw a GOAWAY. Raw HTTP/2 clients do what no grpc client would.
 */
class ConnectionLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int ENHANCE_YOUR_CALM = 0xb;

  /** The object served. */
  public static final class Echo {
    public String echo(String s) {
      return s;
    }
  }

  private static IpcServer.Builder server() {
    return IpcServer.builder().expose("echo", new Echo()).host("127.0.0.1").port(0);
  }

  @Test
  void connectionsBeyondTheCapAreClosedAtOnce() throws Exception {
    try (IpcServer server = server().maxConnections(2).start();
        RawHttp2 first = RawHttp2.connect(server.port());
        RawHttp2 second = RawHttp2.connect(server.port())) {
      awaitTrue(() -> server.openConnections() == 2, "two connections counted");
      try (RawHttp2 third = RawHttp2.connect(server.port())) {
        assertTrue(third.awaitClosed(WAIT), "the third connection stays open");
      }
      try (IpcClient client = IpcClient.builder().host("127.0.0.1").port(server.port())
          .build()) {
        IpcException refused = assertThrows(IpcException.class,
            () -> client.getExposedObject("echo").call("echo", "hi"));
        assertEquals(io.grpc.Status.Code.UNAVAILABLE, refused.getStatusCode());
      }
      first.close();
      awaitTrue(() -> server.openConnections() == 1, "the closed connection uncounted");
      try (IpcClient client = IpcClient.builder().host("127.0.0.1").port(server.port())
          .build()) {
        assertEquals("hi", client.getExposedObject("echo").call("echo", "hi"));
      }
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheHandshakeTimeout() throws Exception {
    try (IpcServer server = server().handshakeTimeout(Duration.ofMillis(200)).start();
        RawHttp2 silent = RawHttp2.connect(server.port())) {
      assertTrue(silent.awaitClosed(WAIT), "a silent connection stays open");
      awaitTrue(() -> server.openConnections() == 0, "the silent connection uncounted");
    }
  }

  @Test
  void aConnectionWithoutCallsIsClosedWhenIdle() throws Exception {
    try (IpcServer server = server().maxConnectionIdle(Duration.ofMillis(200)).start();
        RawHttp2 idle = RawHttp2.connect(server.port()).preface()) {
      idle.flush();
      RawHttp2.Frame goAway = idle.await(RawHttp2.GOAWAY, WAIT);
      assertNotNull(goAway, "closed without a GOAWAY");
      assertEquals(0, goAway.errorCode()); // NO_ERROR: a graceful close
      assertEquals("max_idle", goAway.debugData());
    }
  }

  @Test
  void callsPerConnectionAreAdvertised() throws Exception {
    try (IpcServer server = server().maxConcurrentCallsPerConnection(7).start();
        RawHttp2 raw = RawHttp2.connect(server.port()).preface()) {
      raw.flush();
      RawHttp2.Frame settings = raw.await(RawHttp2.SETTINGS, WAIT);
      assertNotNull(settings);
      assertEquals(7, settings.setting(0x3)); // SETTINGS_MAX_CONCURRENT_STREAMS
    }
    try (IpcServer server = server().start();
        RawHttp2 raw = RawHttp2.connect(server.port()).preface()) {
      raw.flush();
      assertEquals(1000, raw.await(RawHttp2.SETTINGS, WAIT).setting(0x3));
    }
  }

  @Test
  void aRapidResetFloodDrawsGoAway() throws Exception {
    try (IpcServer server = server().maxRstFramesPerWindow(50, 10).start();
        RawHttp2 raw = RawHttp2.connect(server.port()).preface()) {
      String path = "/ipc.v1.InvokeService/Invoke";
      try {
        // A few more resets than the limit: the server may close while later ones are written.
        for (int i = 0; i < 60; i++) {
          int stream = 2 * i + 1;
          raw.headers(stream, path);
          raw.reset(stream);
        }
        raw.flush();
      } catch (SocketException closedMeanwhile) {
        // the server answered the flood before it ended; its GOAWAY is read below
      }
      RawHttp2.Frame goAway = raw.await(RawHttp2.GOAWAY, WAIT);
      assertNotNull(goAway, "closed without a GOAWAY");
      assertEquals(ENHANCE_YOUR_CALM, goAway.errorCode());
      assertEquals("too_many_rststreams", goAway.debugData());
      assertTrue(raw.awaitClosed(WAIT), "the flooding connection stays open");
    }
  }

  @Test
  void resetsWithinTheLimitAreServed() throws Exception {
    try (IpcServer server = server().maxRstFramesPerWindow(50, 10).start();
        RawHttp2 raw = RawHttp2.connect(server.port()).preface()) {
      for (int i = 0; i < 40; i++) {
        raw.headers(2 * i + 1, "/ipc.v1.InvokeService/Invoke");
        raw.reset(2 * i + 1);
      }
      raw.ping();
      raw.flush();
      RawHttp2.Frame pong;
      do {
        pong = raw.await(RawHttp2.PING, WAIT);
      } while (pong != null && (pong.flags() & 0x1) == 0);
      assertNotNull(pong, "the connection was closed");
      assertFalse(server.openConnections() == 0);
    }
  }

  @Test
  void pingsWithoutCallsDrawGoAway() throws Exception {
    try (IpcServer server = server().start();
        RawHttp2 raw = RawHttp2.connect(server.port()).preface()) {
      for (int i = 0; i < 4; i++) {
        raw.ping();
      }
      raw.flush();
      RawHttp2.Frame goAway = raw.await(RawHttp2.GOAWAY, WAIT);
      assertNotNull(goAway, "closed without a GOAWAY");
      assertEquals(ENHANCE_YOUR_CALM, goAway.errorCode());
      assertEquals("too_many_pings", goAway.debugData());
    }
  }

  @Test
  void limitsAreCheckedWhenSet() {
    IpcServer.Builder b = IpcServer.builder();
    assertEquals("maxConnections must be positive, was 0",
        assertThrows(IllegalArgumentException.class, () -> b.maxConnections(0)).getMessage());
    assertEquals("maxQueuedCalls must be positive, was -1",
        assertThrows(IllegalArgumentException.class, () -> b.maxQueuedCalls(-1)).getMessage());
    assertEquals("maxQueuedBytes must be positive, was 0",
        assertThrows(IllegalArgumentException.class, () -> b.maxQueuedBytes(0)).getMessage());
    assertEquals("maxOnewayCalls per connection must be positive, was 0",
        assertThrows(IllegalArgumentException.class, () -> b.maxOnewayCalls(0, 1)).getMessage());
    assertEquals("maxHealthWatches must be positive, was 0",
        assertThrows(IllegalArgumentException.class, () -> b.maxHealthWatches(1, 0))
            .getMessage());
    assertEquals("maxRstFramesPerWindow seconds must be positive, was 0",
        assertThrows(IllegalArgumentException.class, () -> b.maxRstFramesPerWindow(1, 0))
            .getMessage());
    assertEquals("handshakeTimeout must be positive, was PT0S",
        assertThrows(IllegalArgumentException.class, () -> b.handshakeTimeout(Duration.ZERO))
            .getMessage());
    assertEquals("streamStallTimeout == null",
        assertThrows(NullPointerException.class, () -> b.streamStallTimeout(null)).getMessage());
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }
}
