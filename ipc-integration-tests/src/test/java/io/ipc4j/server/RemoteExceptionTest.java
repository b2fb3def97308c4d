package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.DebugInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.proto.v1.RemoteError;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a client learns of an exception thrown by a remote method. */
class RemoteExceptionTest {
  /** How many {@link Gadget}s were ever made, on either side. */
  static final AtomicInteger GADGETS = new AtomicInteger();

  /** An exception with a side effect in its constructor; a client must never make one. */
  public static final class Gadget extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Gadget(String message) {
      super(message);
      GADGETS.incrementAndGet();
    }
  }

  /** What the client calls. */
  public interface Api {
    String nested();

    String load(String name) throws IOException;

    String undeclared();

    String gadget() throws TimeoutException;

    int recurse(int depth);

    String huge();
  }

  /** The server side; it throws from every method. */
  public static final class Thrower {
    public String nested() {
      IllegalStateException e = new IllegalStateException("outer", inner());
      e.addSuppressed(new UnsupportedOperationException("side"));
      throw e;
    }

    private static IOException inner() {
      return new IOException("inner", new IllegalArgumentException("root"));
    }

    public String load(String name) throws IOException {
      throw new IOException("no file " + name);
    }

    public String undeclared() throws TimeoutException {
      throw new TimeoutException("too slow");
    }

    public String gadget() {
      throw new Gadget("boom");
    }

    public int recurse(int depth) {
      return recurse(depth + 1) + 1;
    }

    public String huge() {
      Throwable cause = null;
      for (int i = 0; i < 200; i++) {
        cause = new IllegalStateException("cause " + i + " " + "x".repeat(500), cause);
      }
      throw new IllegalArgumentException("m".repeat(100_000), cause);
    }
  }

  private static Transport.Served serve(Transport transport, boolean tracebacks)
      throws IOException {
    return transport.start(IpcServer.builder().expose("thrower", new Thrower())
        .sendTracebacks(tracebacks));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void classMessageFramesCausesAndSuppressedArrive(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, true);
        IpcClient client = served.client().build()) {
      IpcRemoteException e = assertThrows(IpcRemoteException.class,
          () -> client.getExposedObject("thrower", Api.class).nested());
      assertEquals(served.call("thrower", "nested")
          + " threw: java.lang.IllegalStateException: outer", e.getMessage());
      assertEquals(Status.Code.UNKNOWN, e.getStatusCode());
      assertEquals(ErrorReason.REMOTE_EXCEPTION, e.getReason());
      assertEquals("java.lang.IllegalStateException", e.getRemoteClassName());
      assertEquals("outer", e.getRemoteMessage());
      StackTraceElement top = e.getRemoteStackTrace()[0];
      assertEquals(Thrower.class.getName(), top.getClassName());
      assertEquals("nested", top.getMethodName());
      assertEquals("RemoteExceptionTest.java", top.getFileName());
      assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(
          f -> f.getMethodName().equals("classMessageFramesCausesAndSuppressedArrive")),
          "the exception's own stack shows where the call was made");

      IpcRemoteException inner = assertInstanceOf(IpcRemoteException.class, e.getCause());
      assertEquals("java.io.IOException", inner.getRemoteClassName());
      assertEquals("inner", inner.getRemoteMessage());
      assertEquals("java.io.IOException: inner", inner.getMessage());
      assertEquals("inner", inner.getStackTrace()[0].getMethodName());
      IpcRemoteException root = assertInstanceOf(IpcRemoteException.class, inner.getCause());
      assertEquals("java.lang.IllegalArgumentException", root.getRemoteClassName());
      assertEquals("root", root.getRemoteMessage());
      assertNull(root.getCause());

      assertEquals(1, e.getSuppressed().length);
      IpcRemoteException side = assertInstanceOf(IpcRemoteException.class, e.getSuppressed()[0]);
      assertEquals("java.lang.UnsupportedOperationException", side.getRemoteClassName());
      assertEquals("side", side.getRemoteMessage());

      String traceback = e.getRemoteTraceback();
      assertTrue(traceback.startsWith("java.lang.IllegalStateException: outer\n\tat "
          + Thrower.class.getName() + ".nested(RemoteExceptionTest.java:"), traceback);
      assertTrue(traceback.contains("\n\tSuppressed: java.lang.UnsupportedOperationException:"
          + " side\n\t\tat " + Thrower.class.getName() + ".nested("), traceback);
      assertTrue(traceback.contains("\nCaused by: java.io.IOException: inner\n\tat "
          + Thrower.class.getName() + ".inner("), traceback);
      assertTrue(traceback.contains("\nCaused by: java.lang.IllegalArgumentException: root\n"),
          traceback);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void getTracebackAnswersForTheCallingThreadOnly(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, true);
        IpcClient client = served.client().build()) {
      Api api = client.getExposedObject("thrower", Api.class);
      IpcRemoteException first = assertThrows(IpcRemoteException.class, api::nested);
      assertEquals(first.getRemoteTraceback(), IpcClient.getTraceback());

      CompletableFuture<String> elsewhere = new CompletableFuture<>();
      Thread other = new Thread(() -> {
        String before = IpcClient.getTraceback();
        try {
          api.gadget();
        } catch (IpcRemoteException | TimeoutException e) {
          elsewhere.complete(before + " | " + IpcClient.getTraceback().lines().findFirst().get());
        }
      });
      other.start();
      other.join(10_000);
      assertEquals("null | " + Gadget.class.getName() + ": boom",
          elsewhere.get(10, TimeUnit.SECONDS));
      assertEquals(first.getRemoteTraceback(), IpcClient.getTraceback());

      assertThrows(IOException.class, () -> api.load("x"));
      assertTrue(IpcClient.getTraceback().startsWith("java.io.IOException: no file x\n"),
          IpcClient.getTraceback());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aDeclaredExceptionIsRebuiltAsItsType(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, true);
        IpcClient client = served.client().build()) {
      IOException e = assertThrows(IOException.class,
          () -> client.getExposedObject("thrower", Api.class).load("data.txt"));
      assertSame(IOException.class, e.getClass());
      assertEquals("no file data.txt", e.getMessage());
      assertEquals(Thrower.class.getName(), e.getStackTrace()[0].getClassName());
      assertEquals("load", e.getStackTrace()[0].getMethodName());
      IpcRemoteException remote = assertInstanceOf(IpcRemoteException.class, e.getCause());
      assertEquals("java.io.IOException", remote.getRemoteClassName());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anUndeclaredExceptionIsNeverInstantiated(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, true);
        IpcClient client = served.client().build()) {
      Api api = client.getExposedObject("thrower", Api.class);
      IpcRemoteException checked = assertThrows(IpcRemoteException.class, api::undeclared);
      assertEquals("java.util.concurrent.TimeoutException", checked.getRemoteClassName());
      assertEquals("too slow", checked.getRemoteMessage());

      int before = GADGETS.get();
      IpcRemoteException gadget = assertThrows(IpcRemoteException.class, api::gadget);
      assertEquals(Gadget.class.getName(), gadget.getRemoteClassName());
      assertEquals("boom", gadget.getRemoteMessage());
      assertEquals(before + 1, GADGETS.get(), "only the server may make a Gadget");
      assertThrows(IpcRemoteException.class,
          () -> client.getExposedObject("thrower").call("gadget"));
      assertEquals(before + 2, GADGETS.get(), "only the server may make a Gadget");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void withoutTracebacksOnlyTheClassIsSentNoneOfItsText(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, false);
        IpcClient client = served.client().build()) {
      IpcRemoteException e = assertThrows(IpcRemoteException.class,
          () -> client.getExposedObject("thrower", Api.class).nested());
      assertEquals("java.lang.IllegalStateException", e.getRemoteClassName());
      assertEquals("", e.getRemoteMessage());
      assertEquals(served.call("thrower", "nested") + " threw: java.lang.IllegalStateException",
          e.getMessage());
      assertEquals(0, e.getRemoteStackTrace().length);
      assertNull(e.getCause());
      assertEquals(0, e.getSuppressed().length);
      assertEquals("java.lang.IllegalStateException\n", e.getRemoteTraceback());

      ManagedChannel channel = served.channel();
      try {
        com.google.rpc.Status raw =
            ErrorTableTest.raw(channel, ErrorTableTest.request("thrower", "nested"));
        assertNull(ErrorTableTest.unpack(raw, DebugInfo.class));
        RemoteError error = ErrorTableTest.unpack(raw, RemoteError.class);
        assertEquals(RemoteError.newBuilder().setClassName("java.lang.IllegalStateException")
            .build(), error);
        assertEquals("thrower.nested threw java.lang.IllegalStateException", raw.getMessage());
        for (String text : List.of("outer", "inner", "root", "side")) {
          assertFalse(raw.toString().contains(text), text + " left the server: " + raw);
        }
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aStackOverflowErrorArrivesWithAReadableTraceback(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, true);
        IpcClient client = served.client().build()) {
      IpcRemoteException e = assertThrows(IpcRemoteException.class,
          () -> client.getExposedObject("thrower", Api.class).recurse(0));
      assertEquals("java.lang.StackOverflowError", e.getRemoteClassName());
      assertEquals(served.call("thrower", "recurse") + " threw: java.lang.StackOverflowError",
          e.getMessage());
      StackTraceElement[] frames = e.getRemoteStackTrace();
      assertTrue(frames.length > 0);
      for (StackTraceElement f : frames) {
        assertEquals(Thrower.class.getName() + ".recurse", f.getClassName() + "."
            + f.getMethodName());
      }
      String traceback = e.getRemoteTraceback();
      assertTrue(traceback.startsWith("java.lang.StackOverflowError\n\tat "
          + Thrower.class.getName() + ".recurse(RemoteExceptionTest.java:"), traceback);
      assertTrue(traceback.matches("(?s).*\n\t\\.\\.\\. \\d+ more\n"), traceback);

      ManagedChannel channel = served.channel();
      try {
        com.google.rpc.Status raw = ErrorTableTest.raw(channel,
            ErrorTableTest.request("thrower", "recurse", 0));
        assertEquals(Status.Code.UNKNOWN.value(), raw.getCode());
        DebugInfo debug = ErrorTableTest.unpack(raw, DebugInfo.class);
        assertNotNull(debug);
        assertTrue(debug.getDetail().startsWith("java.lang.StackOverflowError\n\tat "));
      } finally {
        Transport.shutdown(channel);
      }
      // The connection survived the oversized error: the next call is answered as usual.
      assertEquals("java.io.IOException", assertThrows(IpcRemoteException.class,
          () -> client.getExposedObject("thrower").call("load", "x")).getRemoteClassName());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aHugeMessageAndADeepCauseChainArriveBounded(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, true);
        IpcClient client = served.client().build()) {
      IpcRemoteException e = assertThrows(IpcRemoteException.class,
          () -> client.getExposedObject("thrower", Api.class).huge());
      assertEquals("java.lang.IllegalArgumentException", e.getRemoteClassName());
      assertTrue(e.getRemoteMessage().startsWith("mmmm"));
      assertTrue(e.getRemoteMessage().endsWith("…"), "the message was not cut");
      assertTrue(e.getRemoteMessage().length() < 2000);
      assertTrue(e.getRemoteTraceback().contains(" more causes or suppressed exceptions\n"),
          e.getRemoteTraceback());
      int depth = 0;
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        depth++;
        assertInstanceOf(IpcRemoteException.class, c);
      }
      assertTrue(depth < 200, "the whole cause chain was sent");
    }
  }

  @Test
  void theStatusMessageIsBoundedToo() throws Exception {
    try (Transport.Served served = serve(Transport.TCP, true)) {
      ManagedChannel channel = served.channel();
      try {
        com.google.rpc.Status raw =
            ErrorTableTest.raw(channel, ErrorTableTest.request("thrower", "huge"));
        assertTrue(raw.getMessage().startsWith("thrower.huge threw java.lang"
            + ".IllegalArgumentException: mmm"), raw.getMessage());
        assertTrue(raw.getMessage().length() <= 256, "status message of "
            + raw.getMessage().length() + " characters");
      } finally {
        Transport.shutdown(channel);
      }
    }
  }
}
