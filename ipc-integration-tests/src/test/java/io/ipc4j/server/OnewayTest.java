package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcBadArgumentsException;
import io.ipc4j.client.IpcClient;
import io.ipc4j.core.Oneway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Oneway calls: they return at once, the server still runs them, the oneway calls of one client
 * run in order and one at a time, and their failures are logged, never lost.
 */
class OnewayTest {
  private static final long WAIT_SECONDS = 10;
  private static final int CALLS = 300;

  /** The interface both sides use; {@code @Oneway} tells the server too. */
  public interface Notes {
    @Oneway
    void add(int note);

    @Oneway
    void hold();

    @Oneway
    void fail(String why);

    List<Integer> notes();
  }

  /** A oneway method that does not return void: refused when the proxy is made. */
  public interface BadNotes {
    @Oneway
    int count();
  }

  /** The server side. */
  public static final class NotesImpl implements Notes {
    final List<Integer> notes = new CopyOnWriteArrayList<>();
    final CountDownLatch allAdded = new CountDownLatch(CALLS);
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final CountDownLatch holding = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final BlockingQueue<String> held = new LinkedBlockingQueue<>();

    @Override
    public void add(int note) {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        for (int i = 0; i < note % 7; i++) {
          Thread.yield(); // some work of varying length, to let overlapping calls overtake
        }
        notes.add(note);
      } finally {
        running.decrementAndGet();
        allAdded.countDown();
      }
    }

    @Override
    public void hold() {
      holding.countDown();
      try {
        held.add(release.await(WAIT_SECONDS, TimeUnit.SECONDS) ? "released" : "timed out");
      } catch (InterruptedException e) {
        held.add("interrupted");
      }
    }

    @Override
    public void fail(String why) {
      throw new IllegalStateException(why);
    }

    @Override
    public List<Integer> notes() {
      return notes;
    }
  }

  /** Exposed by its class: no {@code @Oneway}, so only the client's header says oneway. */
  public static final class Plain {
    public void boom(String why) {
      throw new UnsupportedOperationException(why);
    }
  }

  /** A value whose getter throws: it cannot be written. */
  public static final class Unwritable {
    public String getValue() {
      throw new IllegalStateException("no value");
    }
  }

  /** Collects what a logger logs. */
  private static final class Records extends Handler {
    final BlockingQueue<LogRecord> records = new LinkedBlockingQueue<>();

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    /** The next record of at least {@code level}; fails after a while without one. */
    LogRecord next(Level level) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      for (long left; (left = deadline - System.nanoTime()) > 0; ) {
        LogRecord r = records.poll(left, TimeUnit.NANOSECONDS);
        if (r != null && r.getLevel().intValue() >= level.intValue()) {
          return r;
        }
      }
      throw new AssertionError("nothing logged at " + level);
    }
  }

  private final Logger serverLog = Logger.getLogger(InvokeService.class.getName());
  private final Logger clientLog = Logger.getLogger("io.ipc4j.client.OnewayLane");
  private final Records serverRecords = new Records();
  private final Records clientRecords = new Records();

  @BeforeEach
  void listen() {
    serverLog.addHandler(serverRecords);
    clientLog.addHandler(clientRecords);
    clientLog.setLevel(Level.FINE);
  }

  @AfterEach
  void stopListening() {
    serverLog.removeHandler(serverRecords);
    clientLog.removeHandler(clientRecords);
    clientLog.setLevel(null);
  }

  private static Transport.Served serve(Transport transport, NotesImpl notes)
      throws IOException {
    return transport.start(IpcServer.builder().expose("notes", notes, Notes.class)
        .expose("plain", new Plain()).maxThreads(8));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void returnsAtOnceWhileTheServerRunsTheCall(Transport transport) throws Exception {
    NotesImpl impl = new NotesImpl();
    try (Transport.Served served = serve(transport, impl);
        IpcClient client = served.client().build()) {
      Notes notes = client.getExposedObject("notes", Notes.class);
      notes.hold(); // returns although hold() waits on the server until released
      assertTrue(impl.holding.await(WAIT_SECONDS, TimeUnit.SECONDS), "the server runs hold()");
      assertTrue(impl.held.isEmpty());
      // Blocking calls are not held up behind the oneway call.
      assertEquals(List.of(), notes.notes());
      impl.release.countDown();
      assertEquals("released", impl.held.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theOnewayCallsOfOneClientRunInOrderOneAtATime(Transport transport) throws Exception {
    NotesImpl impl = new NotesImpl();
    try (Transport.Served served = serve(transport, impl);
        IpcClient client = served.client().build()) {
      Notes notes = client.getExposedObject("notes", Notes.class);
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        expected.add(i);
        if (i % 2 == 0) {
          notes.add(i); // through the proxy, and through the dynamic object: one lane
        } else {
          client.getExposedObject("notes").callOneway("add", i);
        }
      }
      assertTrue(impl.allAdded.await(WAIT_SECONDS, TimeUnit.SECONDS), "all calls ran");
      assertEquals(expected, impl.notes);
      assertEquals(1, impl.mostAtOnce.get(), "oneway calls of one client overlapped");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void failuresAreLoggedOnTheServerWithTheirTraceback(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, new NotesImpl());
        IpcClient client = served.client().build()) {
      client.getExposedObject("notes", Notes.class).fail("out of paper");
      LogRecord r = serverRecords.next(Level.WARNING);
      assertEquals(Level.WARNING, r.getLevel());
      assertEquals("oneway call notes.fail failed: notes.fail threw"
          + " java.lang.IllegalStateException: out of paper", r.getMessage());
      IllegalStateException thrown = assertInstanceOf(IllegalStateException.class,
          r.getThrown());
      assertEquals("out of paper", thrown.getMessage());
      // The client knows the server logged it, and keeps it at FINE.
      LogRecord c = clientRecords.next(Level.FINE);
      assertEquals(Level.FINE, c.getLevel());
      assertEquals("oneway call " + served.call("notes", "fail") + " failed: "
          + served.call("notes", "fail") + " threw: java.lang.IllegalStateException: out of paper",
          c.getMessage());

      // A method without @Oneway, called oneway: the request header tells the server.
      client.getExposedObject("plain").callOneway("boom", "no luck");
      r = serverRecords.next(Level.WARNING);
      assertEquals("oneway call plain.boom failed: plain.boom threw"
          + " java.lang.UnsupportedOperationException: no luck", r.getMessage());
      assertInstanceOf(UnsupportedOperationException.class, r.getThrown());

      // A call the server refuses is logged too, without a traceback.
      client.getExposedObject("plain").callOneway("nope");
      r = serverRecords.next(Level.WARNING);
      assertEquals("oneway call plain.nope failed: no method 'nope' on object 'plain'",
          r.getMessage());
      assertNull(r.getThrown());
    }
  }

  @Test
  void aCallThatNeverReachesAServerIsLoggedByTheClient() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (IpcClient client = IpcClient.builder().host("127.0.0.1").port(port).build()) {
      client.getExposedObject("notes").callOneway("add", 1);
      LogRecord r = clientRecords.next(Level.WARNING);
      assertEquals("oneway call notes.add at 127.0.0.1:" + port + " failed: io exception:"
          + " Connection refused (notes.add at 127.0.0.1:" + port + ")", r.getMessage());
      assertNotNull(r.getThrown());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theServerFinishesTheCallWhenTheClientGoesAway(Transport transport) throws Exception {
    NotesImpl impl = new NotesImpl();
    try (Transport.Served served = serve(transport, impl)) {
      try (IpcClient client = served.client().build()) {
        client.getExposedObject("notes", Notes.class).hold();
        assertTrue(impl.holding.await(WAIT_SECONDS, TimeUnit.SECONDS), "the server runs hold()");
      } // close() cancels the call after its grace period; the server is not to interrupt it
      assertTrue(impl.held.isEmpty(), "hold() ended early: " + impl.held);
      impl.release.countDown();
      assertEquals("released", impl.held.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }
  }

  @Test
  void aOnewayMethodMustReturnVoid() {
    try (IpcClient client = IpcClient.builder().inProcess("unused-" + System.nanoTime())
        .build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> client.getExposedObject("notes", BadNotes.class));
      assertEquals("@Oneway methods must return void, not int\n    for method BadNotes.count",
          e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void argumentsThatCannotBeWrittenFailAtOnce(Transport transport) throws Exception {
    NotesImpl impl = new NotesImpl();
    try (Transport.Served served = serve(transport, impl);
        IpcClient client = served.client().build()) {
      IpcBadArgumentsException e = assertThrows(IpcBadArgumentsException.class,
          () -> client.getExposedObject("notes").callOneway("add", new Unwritable()));
      assertTrue(e.getMessage().startsWith("arguments cannot be written as json: "),
          e.getMessage());
      assertTrue(e.getMessage().contains("no value"), e.getMessage());
      assertTrue(e.getMessage().endsWith(" (" + served.call("notes", "add") + ")"),
          e.getMessage());
      assertFalse(impl.allAdded.getCount() < CALLS, "nothing was sent");
    }
  }
}
