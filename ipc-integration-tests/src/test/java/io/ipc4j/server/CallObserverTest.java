package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcNoSuchMethodException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.core.CallObserver;
import io.ipc4j.core.ErrorReason;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@link CallObserver} on the server and on the client hears of each call by object and method,
 * with {@code Invoke} and on a session alike: status, reason, sizes, the method's exception, the
 * metadata the client's observer adds, and the server's observation current while the method
 * runs.
 */
class CallObserverTest {
  /** Set while a server observation is entered on this thread. */
  static final ThreadLocal<String> entered = new ThreadLocal<>();

  /** What the client calls. */
  public static final class Calc {
    final CountDownLatch blocked = new CountDownLatch(1);

    public int add(int a, int b) {
      return a + b;
    }

    /** What the server's observation made current on the method's thread. */
    public String current() {
      return entered.get();
    }

    public String fail(String why) {
      throw new IllegalStateException("broken: " + why);
    }

    public java.util.stream.Stream<String> items() {
      return java.util.stream.Stream.of("a", "b", "c");
    }

    public String block() throws InterruptedException {
      blocked.countDown();
      Thread.sleep(20_000); // interrupted when the caller cancels
      return "woke";
    }
  }

  /** One ended observation. */
  record Ended(CallObserver.Side side, String object, String method, String rpc,
      long requestBytes, String trace, String status, ErrorReason reason, Throwable failure,
      long responseBytes) {}

  /** Records every call it sees; the client's side adds a trace entry, the server's reads it. */
  static final class Recorder implements CallObserver {
    final BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();

    @Override
    public Observation start(Call call) {
      call.putMetadata("x-trace", "trace-" + call.method());
      String trace = call.metadata("x-trace");
      return new Observation() {
        @Override
        public Scope enter() {
          entered.set("observed " + call.object() + "." + call.method());
          return () -> entered.remove();
        }

        @Override
        public void end(String status, ErrorReason reason, Throwable failure, long bytes) {
          ended.add(new Ended(call.side(), call.object(), call.method(), call.rpc(),
              call.requestBytes(), trace, status, reason, failure, bytes));
        }
      };
    }

    Ended next() throws InterruptedException {
      Ended e = ended.poll(10, TimeUnit.SECONDS);
      assertTrue(e != null, "no call ended");
      return e;
    }
  }

  static List<Arguments> transportsAndSessions() {
    return List.of(Arguments.of(Transport.TCP, true), Arguments.of(Transport.TCP, false),
        Arguments.of(Transport.IN_PROCESS, true), Arguments.of(Transport.IN_PROCESS, false));
  }

  @ParameterizedTest
  @MethodSource("transportsAndSessions")
  void bothEndsHearOfEachCall(Transport transport, boolean sessions) throws Exception {
    Recorder server = new Recorder();
    Recorder client = new Recorder();
    Calc calc = new Calc();
    String rpc = sessions ? "Session" : "Invoke";
    try (Transport.Served served = transport.start(
            IpcServer.builder().expose("calc", calc).observe(server));
        IpcClient ipc = served.client().name("calc").sessions(sessions).observe(client)
            .build()) {
      assertEquals(5L, ipc.getExposedObject().call("add", 2, 3));
      Ended s = server.next();
      Ended c = client.next();
      assertEquals(List.of(CallObserver.Side.SERVER, "calc", "add", rpc, "OK"),
          List.of(s.side(), s.object(), s.method(), s.rpc(), s.status()));
      assertEquals(List.of(CallObserver.Side.CLIENT, "calc", "add", rpc, "OK"),
          List.of(c.side(), c.object(), c.method(), c.rpc(), c.status()));
      assertEquals("trace-add", s.trace()); // the client's metadata reached the server
      assertTrue(s.requestBytes() > 0 && s.responseBytes() > 0, s.toString());
      assertEquals(s.requestBytes(), c.requestBytes());
      assertEquals(s.responseBytes(), c.responseBytes());

      assertEquals("observed calc.current", ipc.getExposedObject().call("current"));
      server.next();
      client.next();

      IpcRemoteException remote = assertThrows(IpcRemoteException.class,
          () -> ipc.getExposedObject().call("fail", "gears"));
      s = server.next();
      c = client.next();
      assertEquals(List.of("UNKNOWN", ErrorReason.REMOTE_EXCEPTION), List.of(s.status(), s.reason()));
      assertEquals("broken: gears", s.failure().getMessage());
      assertEquals(IllegalStateException.class, s.failure().getClass());
      assertEquals(List.of("UNKNOWN", ErrorReason.REMOTE_EXCEPTION), List.of(c.status(), c.reason()));
      assertEquals(remote, c.failure());

      assertThrows(IpcNoSuchMethodException.class, () -> ipc.getExposedObject().call("nope"));
      s = server.next();
      c = client.next();
      assertEquals(List.of("calc", CallObserver.Call.UNKNOWN, "UNIMPLEMENTED",
          ErrorReason.NO_SUCH_METHOD), List.of(s.object(), s.method(), s.status(), s.reason()));
      assertEquals("nope", c.method()); // the client's own name

      assertThrows(Exception.class, () -> ipc.getExposedObject("made-up").call("nope"));
      s = server.next();
      assertEquals(List.of(CallObserver.Call.UNKNOWN, CallObserver.Call.UNKNOWN,
          ErrorReason.NO_SUCH_OBJECT), List.of(s.object(), s.method(), s.reason()));
      client.next();

      // A stream is one call on the server, from its request to its end.
      assertEquals(List.of("a", "b", "c"), ipc.getExposedObject().stream("items").toList());
      s = server.next();
      assertEquals(List.of("items", "InvokeStream", "OK", "trace-items"),
          List.of(s.method(), s.rpc(), s.status(), s.trace()));
      assertTrue(s.responseBytes() > 0, s.toString());
      c = client.next();
      assertEquals(List.of("items", "InvokeStream", "OK", s.responseBytes()),
          List.of(c.method(), c.rpc(), c.status(), c.responseBytes()));

      CompletableFuture<Object> blocked = ipc.getExposedObject().callAsync("block");
      assertTrue(calc.blocked.await(10, TimeUnit.SECONDS));
      blocked.cancel(true);
      c = client.next();
      assertEquals("CANCELLED", c.status());
      s = server.next();
      assertEquals(List.of("block", "CANCELLED"), List.of(s.method(), s.status()));
      assertNull(server.ended.poll());
    }
  }
}
