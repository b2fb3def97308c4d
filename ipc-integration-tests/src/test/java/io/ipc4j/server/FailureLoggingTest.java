package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcBadArgumentsException;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcNoSuchMethodException;
import io.ipc4j.client.IpcNoSuchObjectException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.IpcUnauthenticatedException;
import io.ipc4j.client.RemoteObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a server logs of its failed calls, as a real client makes them: a method that threw is a
 * WARNING naming object and method, the client's own mistakes are FINE, a flood stays a trickle,
 * and names from the request cannot break a log line.
 */
class FailureLoggingTest {
  private static final Logger LOG = Logger.getLogger(InvokeService.class.getName());

  /** An object whose one method always fails. */
  public static final class Notes {
    public String print(String text) {
      throw new IllegalStateException("out of paper");
    }

    public int add(int a, int b) {
      return a + b;
    }
  }

  private final BlockingQueue<LogRecord> records = new LinkedBlockingQueue<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void listen() {
    LOG.addHandler(handler);
    LOG.setLevel(Level.FINE);
    LOG.setUseParentHandlers(false); // the flood below is for this test, not the build output
  }

  @AfterEach
  void stopListening() {
    LOG.removeHandler(handler);
    LOG.setLevel(null);
    LOG.setUseParentHandlers(true);
  }

  /** The records logged so far at exactly {@code level}. */
  private List<LogRecord> drain(Level level) {
    List<LogRecord> all = new ArrayList<>();
    records.drainTo(all);
    return all.stream().filter(r -> r.getLevel() == level).toList();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aMethodThatThrewIsOneWarningNamingObjectAndMethod(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(
            IpcServer.builder().expose("notes", new Notes()));
        IpcClient client = served.client().build()) {
      assertThrows(IpcRemoteException.class,
          () -> client.getExposedObject("notes").call("print", "hello"));

      List<LogRecord> all = new ArrayList<>();
      records.drainTo(all);
      assertEquals(1, all.size());
      LogRecord r = all.get(0);
      assertEquals(Level.WARNING, r.getLevel());
      assertEquals(LOG.getName(), r.getLoggerName());
      assertEquals("call notes.print failed: notes.print threw java.lang.IllegalStateException:"
          + " out of paper", r.getMessage());
      assertEquals("out of paper",
          assertInstanceOf(IllegalStateException.class, r.getThrown()).getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theClientsMistakesAreFineNotWarnings(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(
            IpcServer.builder().expose("notes", new Notes()));
        IpcClient client = served.client().build()) {
      RemoteObject notes = client.getExposedObject("notes");
      assertThrows(IpcNoSuchMethodException.class, () -> notes.call("prnt", "x"));
      assertThrows(IpcNoSuchMethodException.class, () -> notes.call("add", 1));
      assertThrows(IpcBadArgumentsException.class, () -> notes.call("add", "one", 2));
      assertThrows(IpcNoSuchObjectException.class,
          () -> client.getExposedObject("nope").call("add", 1, 2));

      List<LogRecord> all = new ArrayList<>();
      records.drainTo(all);
      assertEquals(List.of(
          "call notes.prnt failed: no method 'prnt' on object 'notes'; did you mean 'print'?",
          "call notes.add failed: no method 'add' with 1 argument on object 'notes'; it has"
              + " add(int a, int b) (takes 2 arguments)",
          "call notes.add failed: argument 1 ('a') of notes.add(int a, int b): Cannot"
              + " deserialize value of type `int` from String \"one\": not a valid `int` value",
          "call nope.add failed: no object 'nope' on this server; it exposes notes"),
          all.stream().map(LogRecord::getMessage).toList());
      assertEquals(List.of(Level.FINE),
          all.stream().map(LogRecord::getLevel).distinct().toList());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aWrongTokenIsFineOnTheTokenLogger(Transport transport) throws Exception {
    Logger tokenLog = Logger.getLogger(TokenCheck.class.getName());
    tokenLog.addHandler(handler);
    tokenLog.setLevel(Level.FINE);
    try (Transport.Served served = transport.start(
            IpcServer.builder().expose("notes", new Notes()).token("s3cret-token"));
        IpcClient client = served.client().token("guess").build()) {
      assertThrows(IpcUnauthenticatedException.class,
          () -> client.getExposedObject("notes").call("add", 1, 2));

      List<LogRecord> all = new ArrayList<>();
      records.drainTo(all);
      assertEquals(1, all.size());
      assertEquals(Level.FINE, all.get(0).getLevel());
      assertEquals(tokenLog.getName(), all.get(0).getLoggerName());
      String message = all.get(0).getMessage();
      // The client's first call opens its session, which the token check refuses.
      assertTrue(message.startsWith("refused ipc.v1.InvokeService/Session from "), message);
      assertTrue(message.endsWith(": wrong token"), message);
    } finally {
      tokenLog.removeHandler(handler);
      tokenLog.setLevel(null);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aThousandFailuresLogTenWarningsAndTheRestAtFine(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(
            IpcServer.builder().expose("notes", new Notes()));
        IpcClient client = served.client().build()) {
      RemoteObject notes = client.getExposedObject("notes");
      for (int i = 0; i < 1000; i++) {
        assertThrows(IpcRemoteException.class, () -> notes.call("print", "hello"));
      }

      List<LogRecord> all = new ArrayList<>();
      records.drainTo(all);
      List<LogRecord> warnings = all.stream().filter(r -> r.getLevel() == Level.WARNING)
          .toList();
      assertEquals(10, warnings.size());
      assertEquals("call notes.print failed: notes.print threw java.lang.IllegalStateException:"
          + " out of paper (10 failures of notes.print within a minute: more in this minute are"
          + " logged at FINE only)", warnings.get(9).getMessage());
      assertEquals(990, all.stream().filter(r -> r.getLevel() == Level.FINE).count());
      assertEquals(1000, all.size());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aMethodNameCannotForgeALogLine(Transport transport) throws Exception {
    String method = "print\nSEVERE: the server is on fire\r\u001b[2J\u001b[31mred";
    String escaped = "print\\nSEVERE: the server is on fire\\r\\u001b[2J\\u001b[31mred";
    try (Transport.Served served = transport.start(
            IpcServer.builder().expose("notes", new Notes()));
        IpcClient client = served.client().build()) {
      assertThrows(IpcNoSuchMethodException.class,
          () -> client.getExposedObject("notes").call(method));
      List<LogRecord> fine = drain(Level.FINE);
      assertEquals(1, fine.size());
      assertEquals("call notes." + escaped + " failed: no method '" + escaped
          + "' on object 'notes'", fine.get(0).getMessage());

      // Oneway: nobody else hears of it, so it is a WARNING; escaped as well.
      client.getExposedObject("notes").callOneway(method);
      LogRecord r = records.poll(10, TimeUnit.SECONDS);
      assertEquals(Level.WARNING, r.getLevel());
      assertEquals("oneway call notes." + escaped + " failed: no method '" + escaped
          + "' on object 'notes'", r.getMessage());
      assertNull(r.getThrown());
    }
  }
}
