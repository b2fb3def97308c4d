package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ipc4j.core.ErrorReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The levels, rate limit and escaping of {@link FailureLog}, on a logger of its own, timed by a
 * clock the test moves.
 */
class FailureLogTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final Logger logger = Logger.getAnonymousLogger();
  private final List<LogRecord> records = new ArrayList<>();
  private final List<Scheduled> scheduled = new ArrayList<>();
  private long now = 12_345 * SECOND;
  private FailureLog log;

  private record Scheduled(Runnable task, long delayNanos) {}

  @BeforeEach
  void setUp() {
    logger.setUseParentHandlers(false);
    logger.setLevel(Level.ALL);
    logger.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    log = new FailureLog(logger, () -> now,
        (task, delayNanos) -> scheduled.add(new Scheduled(task, delayNanos)));
  }

  private static CallException thrown(String object, String method, Throwable t) {
    return new CallException(ErrorReason.REMOTE_EXCEPTION,
        object + "." + method + " threw " + t.getClass().getName() + ": " + t.getMessage(), t);
  }

  private List<LogRecord> at(Level level) {
    return records.stream().filter(r -> r.getLevel() == level).toList();
  }

  @Test
  void aMethodThatThrewIsOneWarningNamingObjectMethodAndException() {
    IllegalStateException e = new IllegalStateException("out of paper");
    log.callFailed("notes", "print", thrown("notes", "print", e), false, false);

    assertEquals(1, records.size());
    LogRecord r = records.get(0);
    assertEquals(Level.WARNING, r.getLevel());
    assertEquals("call notes.print failed: notes.print threw java.lang.IllegalStateException:"
        + " out of paper", r.getMessage());
    assertSame(e, r.getThrown());
  }

  @Test
  void aResultThatCannotBeSentIsAWarningWithoutTraceback() {
    log.callFailed("notes", "snapshot", new CallException(ErrorReason.RESULT_NOT_SERIALIZABLE,
        "the result of notes.snapshot cannot be sent: no serializer"), false, false);

    assertEquals(1, at(Level.WARNING).size());
    assertEquals("call notes.snapshot failed: the result of notes.snapshot cannot be sent:"
        + " no serializer", records.get(0).getMessage());
    assertNull(records.get(0).getThrown());
  }

  @Test
  void clientErrorsAndCancelledCallsAreFine() {
    log.callFailed("calc", "sub", new CallException(ErrorReason.NO_SUCH_METHOD,
        "no method 'sub' on object 'calc'"), false, false);
    log.callFailed("calc", "add", new CallException(ErrorReason.BAD_ARGUMENTS,
        "argument 1 ('a') of calc.add(int a, int b): not an int"), false, false);
    log.callFailed("nope", "add", new CallException(ErrorReason.NO_SUCH_OBJECT,
        "no object 'nope' on this server; it exposes calc"), false, false);
    log.callFailed("calc", "add", new CallException(ErrorReason.SERIALIZER_NOT_ACCEPTED,
        "serializer 'pickle' is not accepted by this server; it accepts json, cbor"), false,
        false);
    log.callFailed("calc", "block", thrown("calc", "block", new InterruptedException("stop")),
        false, true);

    assertEquals(List.of(), at(Level.WARNING));
    assertEquals(List.of(
        "call calc.sub failed: no method 'sub' on object 'calc'",
        "call calc.add failed: argument 1 ('a') of calc.add(int a, int b): not an int",
        "call nope.add failed: no object 'nope' on this server; it exposes calc",
        "call calc.add failed: serializer 'pickle' is not accepted by this server; it accepts"
            + " json, cbor",
        "cancelled call calc.block failed: calc.block threw java.lang.InterruptedException:"
            + " stop"),
        at(Level.FINE).stream().map(LogRecord::getMessage).toList());
  }

  @Test
  void everyFailureOfAOnewayCallIsAWarning() {
    log.callFailed("plain", "nope", new CallException(ErrorReason.NO_SUCH_METHOD,
        "no method 'nope' on object 'plain'"), true, true);

    assertEquals(1, at(Level.WARNING).size());
    assertEquals("oneway call plain.nope failed: no method 'nope' on object 'plain'",
        records.get(0).getMessage());
  }

  @Test
  void nothingIsBuiltWhenTheLoggerIsOff() {
    logger.setLevel(Level.OFF);
    for (int i = 0; i < 100; i++) {
      log.callFailed("calc", "boom", thrown("calc", "boom", new RuntimeException()), false,
          false);
    }
    assertEquals(List.of(), records);
    assertEquals(List.of(), scheduled);
  }

  @Test
  void aThousandFailuresAreTenWarningsAndOneSummaryTheRestAtFine() {
    for (int i = 0; i < 1000; i++) {
      log.callFailed("calc", "boom", thrown("calc", "boom", new RuntimeException("n" + i)),
          false, false);
      now += SECOND / 100; // 1,000 failures in 10 s
    }

    List<LogRecord> warnings = at(Level.WARNING);
    assertEquals(10, warnings.size());
    assertEquals("call calc.boom failed: calc.boom threw java.lang.RuntimeException: n0",
        warnings.get(0).getMessage());
    assertEquals("call calc.boom failed: calc.boom threw java.lang.RuntimeException: n9"
        + " (10 failures of calc.boom within a minute: more in this minute are logged at FINE"
        + " only)", warnings.get(9).getMessage());
    assertEquals(990, at(Level.FINE).size());
    assertEquals("call calc.boom failed: calc.boom threw java.lang.RuntimeException: n10",
        at(Level.FINE).get(0).getMessage());

    // One summary, due when the minute from the first failure is over.
    assertEquals(1, scheduled.size());
    assertEquals(60 * SECOND - 10 * SECOND / 100, scheduled.get(0).delayNanos());
    now += 50 * SECOND;
    records.clear();
    scheduled.get(0).task().run();
    assertEquals(1, records.size());
    assertEquals(Level.WARNING, records.get(0).getLevel());
    assertEquals("… 990 more failures of calc.boom in the last minute (logged at FINE only)",
        records.get(0).getMessage());

    // A new minute: WARNING again, counted afresh.
    records.clear();
    log.callFailed("calc", "boom", thrown("calc", "boom", new RuntimeException("again")), false,
        false);
    assertEquals(List.of("call calc.boom failed: calc.boom threw java.lang.RuntimeException:"
        + " again"), at(Level.WARNING).stream().map(LogRecord::getMessage).toList());
    assertEquals(1, scheduled.size());
  }

  @Test
  void eachMethodHasItsOwnShareAndAQuietMinuteNeedsNoSummary() {
    for (int i = 0; i < 10; i++) {
      log.callFailed("calc", "boom", thrown("calc", "boom", new RuntimeException()), false,
          false);
      log.callFailed("calc", "bang", thrown("calc", "bang", new RuntimeException()), false,
          false);
      log.callFailed("other", "boom", thrown("other", "boom", new RuntimeException()), false,
          false);
    }
    assertEquals(30, at(Level.WARNING).size());
    assertEquals(List.of(), scheduled);

    now += 61 * SECOND;
    log.callFailed("calc", "boom", thrown("calc", "boom", new RuntimeException()), false, false);
    assertEquals(31, at(Level.WARNING).size());
  }

  @Test
  void refusedOnewayCallsShareOneShareWhateverTheirNames() {
    for (int i = 0; i < 20; i++) {
      log.callFailed("plain", "nope" + i, new CallException(ErrorReason.NO_SUCH_METHOD,
          "no method 'nope" + i + "' on object 'plain'"), true, false);
    }
    assertEquals(10, at(Level.WARNING).size());
    assertEquals(10, at(Level.FINE).size());
    scheduled.get(0).task().run();
    assertEquals("… 10 more refused oneway calls in the last minute (logged at FINE only)",
        records.get(records.size() - 1).getMessage());
  }

  @Test
  void namesAndMessagesFromTheRequestAreEscapedAndCut() {
    String method = "get\nWARNING: forged line\r\u001b[31mred\u001b[0m\u2028\u202e";
    log.callFailed("kodi-IPC", method, new CallException(ErrorReason.NO_SUCH_METHOD,
        "no method '" + method + "' on object 'kodi-IPC'"), true, false);
    String escaped = "get\\nWARNING: forged line\\r\\u001b[31mred\\u001b[0m\\u2028\\u202e";
    assertEquals("oneway call kodi-IPC." + escaped + " failed: no method '" + escaped
        + "' on object 'kodi-IPC'", records.get(0).getMessage());

    records.clear();
    String longName = "x".repeat(5000);
    log.callFailed("kodi-IPC", longName, new CallException(ErrorReason.NO_SUCH_METHOD,
        "no method '" + longName + "' on object 'kodi-IPC'"), false, false);
    assertEquals("call kodi-IPC." + "x".repeat(100) + "… (4900 more chars) failed: no method '"
        + "x".repeat(989) + "… (4033 more chars)", records.get(0).getMessage());
  }

  @Test
  void anExceptionWhoseMessageWouldBreakTheLineIsLoggedAsAnEscapedCopy() {
    IllegalArgumentException cause = new IllegalArgumentException("key\nFORGED");
    IllegalStateException e = new IllegalStateException("no such key", cause);
    log.callFailed("store", "get", thrown("store", "get", e), false, false);

    Throwable logged = records.get(0).getThrown();
    assertNotSame(e, logged);
    assertEquals("java.lang.IllegalStateException: no such key", logged.toString());
    assertEquals("java.lang.IllegalArgumentException: key\\nFORGED",
        logged.getCause().toString());
    StringWriter trace = new StringWriter();
    logged.printStackTrace(new PrintWriter(trace));
    assertEquals(0, trace.toString().lines().filter(l -> l.startsWith("FORGED")).count());
    assertEquals(e.getStackTrace().length, logged.getStackTrace().length);
    assertEquals(e.getStackTrace()[0], logged.getStackTrace()[0]);

    // An ordinary exception is logged as itself.
    RuntimeException ordinary = new RuntimeException("nothing to escape");
    records.clear();
    log.callFailed("store", "get", thrown("store", "get", ordinary), false, false);
    assertSame(ordinary, records.get(0).getThrown());
  }
}
