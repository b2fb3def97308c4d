package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.google.protobuf.ListValue;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcDeadlineExceededException;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcNoSuchMethodException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.IpcUnavailableException;
import io.ipc4j.client.RemoteObject;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Asynchronous calls: CompletableFuture proxies and {@code callAsync}; cancellation reaching the
 * server; and how remote failures are described (throwing getMessage(), unserializable results,
 * frames below the user's method, why a server is unavailable).
 */
class AsyncTest {
  private static final long WAIT_SECONDS = 10;

  /** A value class. */
  public record Item(String name, int count) {}

  /** The client's view: every method asynchronous. */
  public interface AsyncCalc {
    CompletableFuture<Integer> add(int a, int b);

    CompletableFuture<List<Item>> items(int n);

    CompletableFuture<String> load(String name) throws IOException;

    CompletableFuture<String> block();

    CompletableFuture<String> later();
  }

  /** The blocking view of the same object. */
  public interface Calc {
    String load(String name) throws IOException;

    String block();

    boolean interruptedFlag();
  }

  /** The server side. */
  public static final class CalcImpl {
    final CountDownLatch blocking = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CompletableFuture<String> pending = new CompletableFuture<>();
    final CountDownLatch laterCalled = new CountDownLatch(1);
    final CountDownLatch pendingCancelled = new CountDownLatch(1);

    public int add(int a, int b) {
      return a + b;
    }

    public List<Item> items(int n) {
      List<Item> items = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        items.add(new Item("item" + i, i));
      }
      return items;
    }

    public String load(String name) throws IOException {
      throw new IOException("no file " + name);
    }

    /** Blocks until released or interrupted; an interrupt is counted. */
    public String block() {
      blocking.countDown();
      try {
        release.await();
        return "released";
      } catch (InterruptedException e) {
        interrupted.countDown();
        Thread.currentThread().interrupt(); // as good code does; the server must clear it
        return "interrupted";
      }
    }

    /** Whether the thread that runs this call is interrupted (a leak from an earlier call). */
    public boolean interruptedFlag() {
      return Thread.currentThread().isInterrupted();
    }

    /** A future that completes only when cancelled. */
    public CompletableFuture<String> later() {
      pending.whenComplete((v, t) -> {
        if (pending.isCancelled()) {
          pendingCancelled.countDown();
        }
      });
      laterCalled.countDown();
      return pending;
    }

    public Weird weird() {
      throw new Weird();
    }

    public Bad bad() {
      return new Bad();
    }

    public String fail() {
      throw new IllegalStateException("failed on purpose");
    }
  }

  /** An exception whose getMessage() throws. */
  public static final class Weird extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public String getMessage() {
      throw new IllegalStateException("no message");
    }
  }

  /** A result whose getter throws an Error, which Jackson does not wrap. */
  public static final class Bad {
    public String getValue() {
      throw new AssertionError("bad getter");
    }
  }

  private static Transport.Served serve(Transport transport, CalcImpl calc) throws IOException {
    return transport.start(IpcServer.builder().expose("calc", calc).maxThreads(2));
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), what);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void futuresCompleteWithTypedResults(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, new CalcImpl());
        IpcClient client = served.client().build()) {
      AsyncCalc calc = client.getExposedObject("calc", AsyncCalc.class);
      CompletableFuture<Integer> sum = calc.add(2, 3);
      CompletableFuture<List<Item>> items = calc.items(2);
      assertEquals(5, sum.get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertEquals(List.of(new Item("item0", 0), new Item("item1", 1)),
          items.get(WAIT_SECONDS, TimeUnit.SECONDS));

      RemoteObject remote = client.getExposedObject("calc");
      assertEquals(7L, remote.callAsync("add", 3, 4).get(WAIT_SECONDS, TimeUnit.SECONDS));
      CompletableFuture<Integer> typed = remote.callAsync(Integer.class, "add", 3, 4);
      assertEquals(7, typed.get(WAIT_SECONDS, TimeUnit.SECONDS));
      CompletableFuture<List<Item>> generic = remote.callAsync(
          new TypeReference<List<Item>>() {}.getType(), "items", 1);
      assertEquals(List.of(new Item("item0", 0)), generic.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void noThreadWaitsForTheAnswer(Transport transport) throws Exception {
    CalcImpl impl = new CalcImpl();
    try (Transport.Served served = serve(transport, impl);
        IpcClient client = served.client().build()) {
      AsyncCalc calc = client.getExposedObject("calc", AsyncCalc.class);
      CompletableFuture<String> blocked = calc.block();
      await(impl.blocking, "the server runs block()");
      // The caller got its future while the method still runs, and may go on calling.
      assertFalse(blocked.isDone());
      assertEquals(5, calc.add(2, 3).get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertFalse(blocked.isDone());
      impl.release.countDown();
      assertEquals("released", blocked.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void failuresAreTheSameAsForBlockingCalls(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, new CalcImpl());
        IpcClient client = served.client().build()) {
      // A declared exception is rebuilt as its own class, as the blocking proxy does.
      CompletableFuture<String> load = client.getExposedObject("calc", AsyncCalc.class)
          .load("x.txt");
      CompletionException e = assertThrows(CompletionException.class, load::join);
      IOException io = assertInstanceOf(IOException.class, e.getCause());
      assertEquals("no file x.txt", io.getMessage());
      IOException blocking = assertThrows(IOException.class,
          () -> client.getExposedObject("calc", Calc.class).load("x.txt"));
      assertEquals(blocking.getMessage(), io.getMessage());

      RemoteObject remote = client.getExposedObject("calc");
      IpcRemoteException remoteFailure = assertInstanceOf(IpcRemoteException.class,
          assertThrows(CompletionException.class, remote.callAsync("fail")::join).getCause());
      IpcRemoteException sync = assertThrows(IpcRemoteException.class,
          () -> remote.call("fail"));
      assertEquals(served.call("calc", "fail")
          + " threw: java.lang.IllegalStateException: failed on purpose",
          remoteFailure.getMessage());
      assertEquals(sync.getMessage(), remoteFailure.getMessage());
      assertEquals(sync.getRemoteTraceback(), remoteFailure.getRemoteTraceback());

      IpcNoSuchMethodException missing = assertInstanceOf(IpcNoSuchMethodException.class,
          assertThrows(CompletionException.class, remote.callAsync("nope")::join).getCause());
      assertEquals("no method 'nope' on object 'calc' (" + served.call("calc", "nope") + ")",
          missing.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void cancellingTheFutureInterruptsTheServerMethod(Transport transport) throws Exception {
    CalcImpl impl = new CalcImpl();
    try (Transport.Served served = serve(transport, impl);
        IpcClient client = served.client().build()) {
      CompletableFuture<String> blocked = client.getExposedObject("calc", AsyncCalc.class)
          .block();
      await(impl.blocking, "the server runs block()");
      assertTrue(blocked.cancel(true));
      await(impl.interrupted, "the server method was interrupted");
      assertThrows(CancellationException.class, blocked::join);
      // The pool thread that ran it goes on clean (maxThreads(2): likely the same thread).
      Calc calc = client.getExposedObject("calc", Calc.class);
      for (int i = 0; i < 4; i++) {
        assertFalse(calc.interruptedFlag(), "a pool thread kept the call's interrupt");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void cancellingTheFutureCancelsTheFutureTheServerMethodReturned(Transport transport)
      throws Exception {
    CalcImpl impl = new CalcImpl();
    try (Transport.Served served = serve(transport, impl);
        IpcClient client = served.client().build()) {
      CompletableFuture<String> later = client.getExposedObject("calc", AsyncCalc.class).later();
      await(impl.laterCalled, "the server called later()");
      assertTrue(later.cancel(true));
      await(impl.pendingCancelled, "the server's future was cancelled");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPassedDeadlineInterruptsTheServerMethod(Transport transport) throws Exception {
    CalcImpl impl = new CalcImpl();
    try (Transport.Served served = serve(transport, impl);
        IpcClient client = served.client().deadline(Duration.ofMillis(300)).build()) {
      IpcDeadlineExceededException e = assertThrows(IpcDeadlineExceededException.class,
          () -> client.getExposedObject("calc", Calc.class).block());
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatusCode());
      await(impl.interrupted, "the server method was interrupted at the deadline");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aThrowingGetMessageStillMakesAStatus(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, new CalcImpl())) {
      com.google.rpc.Status raw = raw(served, "weird");
      assertEquals(Status.Code.UNKNOWN.value(), raw.getCode());
      assertEquals("calc.weird threw " + Weird.class.getName()
          + ": (getMessage() threw java.lang.IllegalStateException)", raw.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anErrorWhileWritingTheResultIsResultNotSerializable(Transport transport)
      throws Exception {
    try (Transport.Served served = serve(transport, new CalcImpl());
        IpcClient json = served.client().build();
        IpcClient cbor = served.client().serializer("cbor").build()) {
      for (IpcClient client : new IpcClient[] {json, cbor}) {
        IpcException e = assertThrows(IpcException.class,
            () -> client.getExposedObject("calc").call("bad"));
        assertEquals(ErrorReason.RESULT_NOT_SERIALIZABLE, e.getReason());
        assertEquals("the result of calc.bad cannot be sent: java.lang.AssertionError: bad getter"
            + " (" + served.call("calc", "bad") + ")", e.getMessage());
      }
      com.google.rpc.Status raw = raw(served, "bad");
      assertEquals(Status.Code.INTERNAL.value(), raw.getCode());
      assertEquals("the result of calc.bad cannot be sent: java.lang.AssertionError: bad getter",
          raw.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theTracebackEndsAtTheUsersMethod(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, new CalcImpl());
        IpcClient client = served.client().build()) {
      IpcRemoteException e = assertThrows(IpcRemoteException.class,
          () -> client.getExposedObject("calc").call("fail"));
      StackTraceElement[] frames = e.getRemoteStackTrace();
      assertEquals(1, frames.length, List.of(frames).toString());
      assertEquals(CalcImpl.class.getName() + ".fail",
          frames[0].getClassName() + "." + frames[0].getMethodName());
      String traceback = e.getRemoteTraceback();
      assertTrue(traceback.matches("java.lang.IllegalStateException: failed on purpose\n"
          + "\tat io\\.ipc4j\\.server\\.AsyncTest\\$CalcImpl\\.fail\\(AsyncTest\\.java:\\d+\\)\n"
          + "\t\\.\\.\\. [1-9]\\d* more\n"), traceback);
    }
  }

  @Test
  void unavailableSaysWhy() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (IpcClient client = IpcClient.builder().host("127.0.0.1").port(port).build()) {
      IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject("calc").call("add", 1, 2));
      assertEquals("io exception: Connection refused (calc.add at 127.0.0.1:" + port + ")",
          e.getMessage());
      IpcUnavailableException async = assertInstanceOf(IpcUnavailableException.class,
          assertThrows(CompletionException.class,
              client.getExposedObject("calc").callAsync("add", 1, 2)::join).getCause());
      assertEquals(e.getMessage(), async.getMessage());
    }
  }

  @Test
  void cancelAfterCompletionChangesNothing() throws Exception {
    Transport.Served served = serve(Transport.IN_PROCESS, new CalcImpl());
    try (served; IpcClient client = served.client().build()) {
      CompletableFuture<Integer> sum = client.getExposedObject("calc", AsyncCalc.class).add(1, 1);
      assertEquals(2, sum.get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertFalse(sum.cancel(true));
      assertEquals(2, sum.join());
      AtomicBoolean ran = new AtomicBoolean();
      sum.thenRun(() -> ran.set(true)).join();
      assertTrue(ran.get());
    }
  }

  /** Calls {@code calc.method()} with JSON arguments on a plain channel; answers its status. */
  private static com.google.rpc.Status raw(Transport.Served served, String method)
      throws InterruptedException {
    ManagedChannel channel = served.channel();
    try {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> InvokeServiceGrpc.newBlockingStub(channel).invoke(InvokeRequest.newBuilder()
              .setObject("calc").setMethod(method).setArgs(ListValue.getDefaultInstance())
              .build()));
      return StatusProto.fromThrowable(e);
    } finally {
      Transport.shutdown(channel);
    }
  }
}
