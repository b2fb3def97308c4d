package io.ipc4j.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import io.grpc.Status.Code;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.proto.v1.RemoteError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Error details: what a status carries, the traceback it renders, and above all that any
 * exception, however large, fits in the 8 KiB of trailers a Netty client accepts.
 */
class RemoteErrorsTest {
  /** What the status may take in the trailers, leaving room for grpc-status and the rest. */
  private static final int TRAILER_BUDGET = 7 * 1024;
  private static final String MEGABYTE = "x".repeat(1 << 20);
  private static final Pattern MORE_LINE =
      Pattern.compile("\t+\\.\\.\\. \\d+ more( causes or suppressed exceptions)?");

  private static Map<String, String> metadata(String method) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("object", "calc");
    metadata.put("method", method);
    metadata.put("exception", "java.lang.ArithmeticException");
    return metadata;
  }

  private static Status remote(Throwable thrown) {
    return RemoteErrors.status(ErrorReason.REMOTE_EXCEPTION, "calc.divide threw " + thrown,
        metadata("divide"), thrown, true);
  }

  /**
   * What the status takes in the trailers: grpc-status-details-bin in base64 and grpc-message
   * percent-encoded as the gRPC spec says (bytes outside 0x20-0x7E, and '%', as %XX).
   */
  private static int trailerBytes(Status status) {
    int bytes = Base64.getEncoder().encodeToString(status.toByteArray()).length();
    for (byte b : status.getMessage().getBytes(UTF_8)) {
      bytes += b < 0x20 || b > 0x7e || b == '%' ? 3 : 1;
    }
    return bytes;
  }

  private static String printed(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString().replace(System.lineSeparator(), "\n");
  }

  private static int divide(int a, int b) {
    return a / b;
  }

  private static ArithmeticException divisionByZero() {
    try {
      divide(1, 0);
      throw new AssertionError("1 / 0 did not throw");
    } catch (ArithmeticException e) {
      return e;
    }
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  private static StackOverflowError stackOverflow() {
    try {
      recurse(0);
      throw new AssertionError("no stack overflow");
    } catch (StackOverflowError e) {
      return e;
    }
  }

  private static Throwable chain(int length, String message) {
    Throwable t = new IllegalStateException("root " + message);
    for (int i = 1; i < length; i++) {
      t = new RuntimeException("level " + i + " " + message, t);
    }
    return t;
  }

  private static Throwable cycle() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    return a;
  }

  private static Throwable suppressing(int count) {
    Exception top = new Exception("top");
    for (int i = 0; i < count; i++) {
      top.addSuppressed(new IOException("close " + i));
    }
    return top;
  }

  private static Throwable everything() {
    StackOverflowError overflow = stackOverflow();
    Throwable top =
        new IllegalStateException("€".repeat(1 << 19), chain(200, "ü".repeat(1 << 14)));
    top.setStackTrace(overflow.getStackTrace());
    for (int i = 0; i < 50; i++) {
      top.addSuppressed(new UncheckedIOException(MEGABYTE, new IOException(MEGABYTE)));
    }
    return top;
  }

  static Stream<Arguments> hugeThrowables() {
    return Stream.of(
        huge("a real StackOverflowError", RemoteErrorsTest::stackOverflow),
        huge("a 1 MB message", () -> new IllegalStateException(MEGABYTE)),
        huge("a 1 MB message of 3-byte characters",
            () -> new IllegalStateException("€%".repeat(1 << 19))),
        huge("a chain of 200 causes", () -> chain(200, "")),
        huge("a chain of 200 causes with 1 MB messages", () -> chain(200, MEGABYTE)),
        huge("a cycle of causes", RemoteErrorsTest::cycle),
        huge("50 suppressed", () -> suppressing(50)),
        huge("all of these at once", RemoteErrorsTest::everything));
  }

  private static Arguments huge(String what, Supplier<Throwable> make) {
    return Arguments.of(what, make);
  }

  // ---- the key property: every status fits the trailers, readable

  @ParameterizedTest(name = "{0}")
  @MethodSource("hugeThrowables")
  void anyThrowableFitsTheTrailersAndStaysReadable(String what, Supplier<Throwable> make) {
    Throwable thrown = make.get();
    String message = thrown.getMessage() == null ? "" : thrown.getMessage();

    Status status = remote(thrown);

    assertTrue(trailerBytes(status) < TRAILER_BUDGET, what + ": " + trailerBytes(status));
    RemoteError error = RemoteErrors.remoteError(status);
    String traceback = RemoteErrors.debugDetail(status);
    assertNotNull(error, "the RemoteError was dropped");
    assertNotNull(traceback, "the DebugInfo was dropped");
    assertEquals(RemoteErrors.traceback(error), traceback);
    String firstLine = traceback.substring(0, traceback.indexOf('\n'));
    String expectedStart = thrown.getClass().getName() + (message.isEmpty() ? "" : ": ");
    assertTrue(firstLine.startsWith(expectedStart), firstLine);
    String shown = firstLine.substring(expectedStart.length());
    assertTrue(message.startsWith(shown.replaceAll("…$", "")), "the message changed");
    assertTrue(shown.length() >= Math.min(64, message.length()), "too little of the message");
    String[] lines = traceback.split("\n");
    assertTrue(MORE_LINE.matcher(lines[lines.length - 1]).matches(), lines[lines.length - 1]);
  }

  @Test
  void aStackOverflowKeepsItsTopFramesAndCountsTheRest() {
    StackOverflowError overflow = stackOverflow();

    Status status = remote(overflow);

    RemoteError error = RemoteErrors.remoteError(status);
    int frames = error.getFramesCount();
    assertTrue(frames >= 8, "only " + frames + " frames kept");
    assertEquals(overflow.getStackTrace().length, frames + error.getOmittedFrames());
    assertEquals("recurse", error.getFrames(0).getMethodName());
    String traceback = RemoteErrors.debugDetail(status);
    assertTrue(traceback.startsWith("java.lang.StackOverflowError\n\tat "
        + RemoteErrorsTest.class.getName() + ".recurse(RemoteErrorsTest.java:"), traceback);
    assertTrue(traceback.endsWith("\n\t... " + error.getOmittedFrames() + " more\n"), traceback);
    DebugInfo debug = unpackDebugInfo(status);
    assertEquals(frames, debug.getStackEntriesCount());
    assertEquals(RemoteErrors.frame(error.getFrames(0)), debug.getStackEntries(0));
  }

  @Test
  void aLongChainKeepsItsFirstCausesAndCountsTheRest() {
    RemoteError error = RemoteErrors.remoteError(remote(chain(200, "")));

    int described = 0;
    RemoteError last = error;
    while (last.hasCause()) {
      last = last.getCause();
      described++;
    }
    assertTrue(described >= 1, "no cause kept");
    assertEquals(199, described + last.getOmittedCauses());
    assertEquals("level 199 ", error.getMessage());
  }

  @Test
  void aCycleOfCausesEnds() {
    RemoteError error = RemoteErrors.remoteError(remote(cycle()));

    assertEquals("a", error.getMessage());
    assertEquals("b", error.getCause().getMessage());
    assertFalse(error.getCause().hasCause());
    assertEquals(0, error.getCause().getOmittedCauses());
  }

  @Test
  void manySuppressedAreCountedWhenLeftOut() {
    RemoteError error = RemoteErrors.remoteError(remote(suppressing(50)));

    assertTrue(error.getSuppressedCount() >= 1, "no suppressed exception kept");
    assertEquals(50, error.getSuppressedCount() + error.getOmittedCauses());
    assertEquals("close 0", error.getSuppressed(0).getMessage());
  }

  @Test
  void hostileRequestNamesAreCut() {
    String method = "m".repeat(1 << 20);

    Status status = RemoteErrors.status(ErrorReason.NO_SUCH_METHOD,
        "no method '" + method + "' on object 'calc'", metadata(method), null, true);

    ErrorInfo info = RemoteErrors.errorInfo(status);
    assertEquals("m".repeat(127) + "…", info.getMetadataOrThrow("method"));
    assertEquals(256, status.getMessage().length());
    assertTrue(status.getMessage().startsWith("no method 'mmm"));
    assertTrue(trailerBytes(status) < TRAILER_BUDGET);
  }

  // ---- what a status carries

  @Test
  void carriesErrorInfoDebugInfoAndRemoteError() {
    ArithmeticException thrown = divisionByZero();

    Status status = remote(thrown);

    assertEquals(Code.UNKNOWN.value(), status.getCode());
    assertEquals("calc.divide threw java.lang.ArithmeticException: / by zero", status.getMessage());
    ErrorInfo info = RemoteErrors.errorInfo(status);
    assertEquals("REMOTE_EXCEPTION", info.getReason());
    assertEquals("ipc4j", info.getDomain());
    assertEquals(metadata("divide"), info.getMetadataMap());
    RemoteError error = RemoteErrors.remoteError(status);
    assertEquals("java.lang.ArithmeticException", error.getClassName());
    assertEquals("/ by zero", error.getMessage());
    assertEquals(RemoteErrorsTest.class.getName(), error.getFrames(0).getClassName());
    assertEquals("divide", error.getFrames(0).getMethodName());
    assertEquals("RemoteErrorsTest.java", error.getFrames(0).getFileName());
    assertEquals(thrown.getStackTrace()[0].getLineNumber(), error.getFrames(0).getLineNumber());
    assertEquals(thrown.getStackTrace().length, error.getFramesCount() + error.getOmittedFrames());
    assertTrue(RemoteErrors.debugDetail(status).startsWith(
        "java.lang.ArithmeticException: / by zero\n\tat " + thrown.getStackTrace()[0] + "\n"));
  }

  @Test
  void withoutAnExceptionOnlyErrorInfo() {
    Status status = RemoteErrors.status(ErrorReason.NO_SUCH_OBJECT, "no object 'x'",
        Map.of("object", "x", "method", "get"), null, true);

    assertEquals(Code.NOT_FOUND.value(), status.getCode());
    assertEquals(1, status.getDetailsCount());
    assertEquals("NO_SUCH_OBJECT", RemoteErrors.errorInfo(status).getReason());
    assertNull(RemoteErrors.remoteError(status));
    assertNull(RemoteErrors.debugDetail(status));
  }

  @Test
  void withoutTracebackOnlyTheClassNoText() {
    Throwable thrown = new IllegalStateException("secret " + MEGABYTE, divisionByZero());
    thrown.addSuppressed(new IOException("hidden"));

    Status status = RemoteErrors.status(ErrorReason.REMOTE_EXCEPTION, "calc.divide threw",
        metadata("divide"), thrown, false);

    assertEquals(2, status.getDetailsCount());
    assertNull(RemoteErrors.debugDetail(status));
    RemoteError error = RemoteErrors.remoteError(status);
    assertEquals(RemoteError.newBuilder()
        .setClassName("java.lang.IllegalStateException")
        .build(), error);
    assertFalse(status.toString().contains("secret"), status.toString());
    assertFalse(status.toString().contains("hidden"), status.toString());
    assertTrue(trailerBytes(status) < TRAILER_BUDGET);
  }

  @Test
  void aFailingGetMessageIsReportedNotThrown() {
    RuntimeException hostile = new RuntimeException() {
      private static final long serialVersionUID = 1L;

      @Override
      public String getMessage() {
        throw new IllegalStateException("no message");
      }
    };

    RemoteError error = RemoteErrors.remoteError(RemoteErrors.status(
        ErrorReason.REMOTE_EXCEPTION, "calc.divide threw", metadata("divide"), hostile, true));

    assertEquals("(getMessage() threw java.lang.IllegalStateException)", error.getMessage());
  }

  @Test
  void statusesWithoutOurDetailsReadAsNull() {
    Status bare = Status.newBuilder().setCode(Code.UNAVAILABLE.value()).setMessage("down").build();

    assertNull(RemoteErrors.errorInfo(bare));
    assertNull(RemoteErrors.remoteError(bare));
    assertNull(RemoteErrors.debugDetail(bare));
  }

  // ---- the traceback text

  private static StackTraceElement at(String method, int line) {
    return new StackTraceElement("app.Service", method, "Service.java", line);
  }

  @Test
  void rendersTheTracebackAsPrintStackTraceDoes() {
    StackTraceElement main = at("main", 10);
    StackTraceElement run = at("run", 20);
    IllegalStateException top = new IllegalStateException("top failed");
    top.setStackTrace(new StackTraceElement[] {at("call", 30), main, run});
    IOException cause = new IOException("disk full");
    cause.setStackTrace(new StackTraceElement[] {at("write", 40), at("flush", 41), main, run});
    IOException closing = new IOException("close failed");
    closing.setStackTrace(new StackTraceElement[] {at("close", 50), run});
    IllegalArgumentException nested = new IllegalArgumentException();
    StackTraceElement unknownSource = new StackTraceElement("app.Lib", "check", null, -1);
    nested.setStackTrace(
        new StackTraceElement[] {unknownSource, at("write", 40), at("flush", 41), main, run});
    top.initCause(cause);
    top.addSuppressed(closing);
    cause.initCause(nested);

    String traceback = RemoteErrors.traceback(RemoteErrors.remoteError(remote(top)));

    assertEquals(printed(top), traceback);
    assertEquals("""
        java.lang.IllegalStateException: top failed
        \tat app.Service.call(Service.java:30)
        \tat app.Service.main(Service.java:10)
        \tat app.Service.run(Service.java:20)
        \tSuppressed: java.io.IOException: close failed
        \t\tat app.Service.close(Service.java:50)
        \t\t... 1 more
        Caused by: java.io.IOException: disk full
        \tat app.Service.write(Service.java:40)
        \tat app.Service.flush(Service.java:41)
        \t... 2 more
        Caused by: java.lang.IllegalArgumentException
        \tat app.Lib.check(Unknown Source)
        \t... 4 more
        """, traceback);
  }

  @Test
  void rendersOmittedCauses() {
    RemoteError error = RemoteError.newBuilder()
        .setClassName("a.Failure").setMessage("m").setOmittedFrames(3).setOmittedCauses(2)
        .build();

    assertEquals("a.Failure: m\n\t... 3 more\n\t... 2 more causes or suppressed exceptions\n",
        RemoteErrors.traceback(error));
  }

  // ---- truncation

  @Test
  void truncatesWithAnEllipsisWithoutSplittingSurrogatePairs() {
    assertEquals("abc", RemoteErrors.truncate("abc", 3));
    assertEquals("ab…", RemoteErrors.truncate("abcd", 3));
    assertEquals("ab…", RemoteErrors.truncate("ab\uD83D\uDE00cd", 4));
    assertEquals("", RemoteErrors.truncate(null, 3));
  }

  private static DebugInfo unpackDebugInfo(Status status) {
    return status.getDetailsList().stream().filter(a -> a.is(DebugInfo.class)).findFirst()
        .map(a -> {
          try {
            return a.unpack(DebugInfo.class);
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
          }
        })
        .orElseThrow();
  }
}
