package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.ipc4j.client.IpcBadArgumentsException;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcDeadlineExceededException;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcNoSuchMethodException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.IpcUnavailableException;
import io.grpc.stub.StreamObserver;
import io.ipc4j.core.Limits;
import io.ipc4j.core.Oneway;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Calls as messages on one {@code Session} stream ({@code IpcClient.Builder.sessions(true)}): the
 * same answers and the same errors as {@code Invoke}, cancellation, oneway calls, the bound on
 * calls in flight, a server that stops, and a server without sessions.
 */
class SessionTest {
  private static final String SESSION = "ipc.v1.InvokeService/Session";
  private static final String INVOKE = "ipc.v1.InvokeService/Invoke";

  /** What the client calls. */
  public static final class Calc {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch finished = new CountDownLatch(1);
    final AtomicReference<String> how = new AtomicReference<>("still waiting");
    final List<Integer> recorded = new ArrayList<>();
    final CountDownLatch hundredRecorded = new CountDownLatch(100);

    public int add(int a, int b) {
      return a + b;
    }

    public String fail(String why) {
      throw new IllegalStateException("broken gear: " + why);
    }

    /** Waits for {@link #release}; records whether an interrupt ended the wait. */
    public String block() {
      entered.countDown();
      try {
        boolean released = release.await(20, TimeUnit.SECONDS);
        how.set(released ? "released" : "not interrupted within 20 s");
      } catch (InterruptedException e) {
        how.set("interrupted; context cancelled: " + Context.current().isCancelled());
        Thread.currentThread().interrupt();
      }
      finished.countDown();
      return "done";
    }

    /** Waits for {@link #release}, uninterrupted by nothing but the test's end. */
    public String hold() throws InterruptedException {
      entered.countDown();
      assertTrue(release.await(20, TimeUnit.SECONDS));
      return "held";
    }

    public String text(int length) {
      return "x".repeat(length);
    }

    public java.util.stream.Stream<String> items() {
      return java.util.stream.Stream.of("a", "b");
    }

    @Oneway
    public void record(int i) {
      synchronized (recorded) {
        recorded.add(i);
      }
      hundredRecorded.countDown();
    }
  }

  /** Counts the RPCs the server sees, by full method name. */
  static final class Rpcs implements ServerInterceptor {
    final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    /** When set, answers Session UNIMPLEMENTED, as a server without sessions does. */
    final boolean withoutSessions;
    /** The status the first session ended with. */
    final CompletableFuture<Status> sessionEnded = new CompletableFuture<>();

    Rpcs(boolean withoutSessions) {
      this.withoutSessions = withoutSessions;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      String name = call.getMethodDescriptor().getFullMethodName();
      seen.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      if (withoutSessions && name.equals(SESSION)) {
        call.close(Status.UNIMPLEMENTED.withDescription("Method not found: " + name),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(new SimpleForwardingServerCall<>(call) {
        @Override
        public void close(Status status, Metadata trailers) {
          if (name.equals(SESSION)) {
            sessionEnded.complete(status);
          }
          super.close(status, trailers);
        }
      }, headers);
    }

    int count(String name) {
      AtomicInteger n = seen.get(name);
      return n == null ? 0 : n.get();
    }
  }

  private final Calc calc = new Calc();
  private final Rpcs rpcs = new Rpcs(false);
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() throws InterruptedException {
    calc.release.countDown();
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
  }

  private Transport.Served start(Transport transport, Rpcs interceptor) throws Exception {
    return transport.start(IpcServer.builder().expose("calc", calc).intercept(interceptor));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void sessionCallsGiveTheSameAnswersAndErrorsAsInvoke(Transport transport) throws Exception {
    try (Transport.Served served = start(transport, rpcs);
        IpcClient unary = served.client().name("calc").sessions(false).build();
        IpcClient session = served.client().name("calc").sessions(true).build()) {
      int invokesBefore = rpcs.count(INVOKE);
      assertEquals(5L, session.getExposedObject().call("add", 2, 3));
      assertEquals(7L, session.getExposedObject().callAsync("add", 3, 4).get(10, TimeUnit.SECONDS));

      IpcRemoteException remote = assertThrows(IpcRemoteException.class,
          () -> session.getExposedObject().call("fail", "cogs"));
      IpcRemoteException remoteUnary = assertThrows(IpcRemoteException.class,
          () -> unary.getExposedObject().call("fail", "cogs"));
      assertEquals(served.call("calc", "fail") + " threw: java.lang.IllegalStateException:"
          + " broken gear: cogs", remote.getMessage());
      assertEquals(remoteUnary.getMessage(), remote.getMessage());
      assertEquals(remoteUnary.getRemoteTraceback(), remote.getRemoteTraceback());
      assertTrue(remote.getRemoteTraceback().contains("Calc.fail"),
          remote.getRemoteTraceback());
      assertEquals(IpcClient.getTraceback(), remoteUnary.getRemoteTraceback());

      ExecutionException async = assertThrows(ExecutionException.class,
          () -> session.getExposedObject().callAsync("fail", "async").get(10, TimeUnit.SECONDS));
      assertEquals(served.call("calc", "fail") + " threw: java.lang.IllegalStateException:"
          + " broken gear: async", assertInstanceOf(IpcRemoteException.class,
              async.getCause()).getMessage());

      IpcNoSuchMethodException noMethod = assertThrows(IpcNoSuchMethodException.class,
          () -> session.getExposedObject().call("sub", 1, 2));
      assertEquals(assertThrows(IpcNoSuchMethodException.class,
          () -> unary.getExposedObject().call("sub", 1, 2)).getMessage(), noMethod.getMessage());

      IpcBadArgumentsException badArgs = assertThrows(IpcBadArgumentsException.class,
          () -> session.getExposedObject().call("add", "two", 3));
      assertEquals(assertThrows(IpcBadArgumentsException.class,
          () -> unary.getExposedObject().call("add", "two", 3)).getMessage(),
          badArgs.getMessage());

      // The session client made one Session call and no Invoke of its own.
      assertEquals(1, rpcs.count(SESSION));
      assertEquals(invokesBefore + 3, rpcs.count(INVOKE));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aSessionWithoutCallsForMaxConnectionIdleEndsAndTheNextCallOpensANewOne(
      Transport transport) throws Exception {
    try (Transport.Served served = transport.start(IpcServer.builder().expose("calc", calc)
            .maxConnectionIdle(Duration.ofMillis(300)).intercept(rpcs));
        IpcClient client = served.client().name("calc").sessions(true).build()) {
      assertEquals(5L, client.getExposedObject().call("add", 2, 3));
      Status ended = rpcs.sessionEnded.get(10, TimeUnit.SECONDS);
      assertEquals(Status.Code.UNAVAILABLE, ended.getCode());
      assertEquals("the session ended after 300 ms without calls", ended.getDescription());
      assertEquals(7L, client.getExposedObject().call("add", 3, 4));
      assertEquals(2, rpcs.count(SESSION));
      assertEquals(0, rpcs.count(INVOKE));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anAnswerOverTheClientsLimitFailsAloneAsWithInvoke(Transport transport) throws Exception {
    Limits small = Limits.defaults().withMaxMessageSize(16 * 1024);
    try (Transport.Served served = start(transport, rpcs);
        IpcClient unary = served.client().name("calc").sessions(false).limits(small).build();
        IpcClient session = served.client().name("calc").sessions(true).limits(small).build()) {
      IpcException overUnary = assertThrows(IpcException.class,
          () -> unary.getExposedObject().call("text", 100_000));
      IpcException over = assertThrows(IpcException.class,
          () -> session.getExposedObject().call("text", 100_000));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, over.getStatusCode());
      if (transport != Transport.IN_PROCESS) { // in-process, grpc does not measure messages
        assertEquals(overUnary.getMessage(), over.getMessage());
      }
      assertTrue(over.getMessage().startsWith("gRPC message exceeds maximum size 16384: "),
          over.getMessage());
      // The session goes on.
      assertEquals(5L, session.getExposedObject().call("add", 2, 3));
      assertEquals(1, rpcs.count(SESSION));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aWaitingCallOfAnOnewayMethodIsAnsweredOnceItRan(Transport transport) throws Exception {
    try (Transport.Served served = start(transport, rpcs);
        IpcClient client = served.client().name("calc").sessions(true).build()) {
      assertEquals(null, client.getExposedObject().call("record", 7));
      synchronized (calc.recorded) {
        assertEquals(List.of(7), calc.recorded);
      }
      assertEquals(1, rpcs.count(SESSION));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void manyThreadsShareOneSession(Transport transport) throws Exception {
    try (Transport.Served served = start(transport, rpcs);
        IpcClient client = served.client().name("calc").sessions(true).build()) {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < 64; t++) {
        int thread = t;
        workers.add(threads.submit(() -> {
          int wrong = 0;
          for (int i = 0; i < 200; i++) {
            if (!Long.valueOf(thread * 1000 + i)
                .equals(client.getExposedObject().call("add", thread * 1000, i))) {
              wrong++;
            }
          }
          return wrong;
        }));
      }
      for (Future<Integer> worker : workers) {
        assertEquals(0, worker.get(60, TimeUnit.SECONDS));
      }
      assertEquals(1, rpcs.count(SESSION));
      assertEquals(0, rpcs.count(INVOKE));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void cancellingTheFutureInterruptsTheServerMethod(Transport transport) throws Exception {
    try (Transport.Served served = start(transport, rpcs);
        IpcClient client = served.client().name("calc").sessions(true).build()) {
      CompletableFuture<Object> call = client.getExposedObject().callAsync("block");
      assertTrue(calc.entered.await(10, TimeUnit.SECONDS));
      assertTrue(call.cancel(true));
      assertTrue(calc.finished.await(10, TimeUnit.SECONDS), calc.how.get());
      assertEquals("interrupted; context cancelled: true", calc.how.get());
      // The session goes on.
      assertEquals(3L, client.getExposedObject().call("add", 1, 2));
      assertEquals(1, rpcs.count(SESSION));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theDeadlineInterruptsTheServerMethod(Transport transport) throws Exception {
    try (Transport.Served served = start(transport, rpcs);
        IpcClient client = served.client().name("calc").sessions(true)
            .deadline(Duration.ofSeconds(1)).build()) {
      assertEquals(2L, client.getExposedObject().call("add", 1, 1)); // the session is open
      IpcDeadlineExceededException e = assertThrows(IpcDeadlineExceededException.class,
          () -> client.getExposedObject().call("block"));
      assertEquals("deadline exceeded after 1.000s (" + served.call("calc", "block") + ")",
          e.getMessage());
      assertTrue(calc.finished.await(10, TimeUnit.SECONDS), calc.how.get());
      assertEquals("interrupted; context cancelled: true", calc.how.get());
      ExecutionException async = assertThrows(ExecutionException.class,
          () -> client.getExposedObject().callAsync("hold").get(10, TimeUnit.SECONDS));
      assertInstanceOf(IpcDeadlineExceededException.class, async.getCause());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void onewayCallsRunInOrderWithoutAnswers(Transport transport) throws Exception {
    try (Transport.Served served = start(transport, rpcs);
        IpcClient client = served.client().name("calc").sessions(true).build()) {
      assertEquals(2L, client.getExposedObject().call("add", 1, 1)); // the session is answered
      for (int i = 0; i < 100; i++) {
        client.getExposedObject().callOneway("record", i);
      }
      assertTrue(calc.hundredRecorded.await(10, TimeUnit.SECONDS));
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        expected.add(i);
      }
      synchronized (calc.recorded) {
        assertEquals(expected, calc.recorded);
      }
      assertEquals(1, rpcs.count(SESSION));
      assertEquals(0, rpcs.count(INVOKE));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theClientSendsCallsBeyondTheSessionsBoundWithInvoke(Transport transport)
      throws Exception {
    try (Transport.Served served = start(transport, rpcs);
        IpcClient client = served.client().name("calc").sessions(true).build()) {
      List<CompletableFuture<Object>> held = new ArrayList<>();
      for (int i = 0; i < 257; i++) {
        held.add(client.getExposedObject().callAsync("hold"));
      }
      calc.release.countDown();
      for (CompletableFuture<Object> call : held) {
        assertEquals("held", call.get(30, TimeUnit.SECONDS));
      }
      assertEquals(1, rpcs.count(SESSION));
      assertEquals(1, rpcs.count(INVOKE), "the 257th call went out with Invoke");
      assertEquals(3L, client.getExposedObject().call("add", 1, 2));
      assertEquals(1, rpcs.count(INVOKE), "with places free again, calls use the session");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void largeRequestsGoOnTheSessionUpToTheServersLimitAndBeyondWithInvoke(Transport transport)
      throws Exception {
    try (Transport.Served served = start(transport, rpcs);
        IpcClient client = served.client().name("calc").sessions(true).build()) {
      assertEquals(3L, client.getExposedObject().call("add", 1, 2));
      // Once the server has said what it reads, a 100 KB request goes on the session.
      String large = "x".repeat(100_000);
      IpcRemoteException e = assertThrows(IpcRemoteException.class,
          () -> client.getExposedObject().call("fail", large));
      // The message is cut to fit the trailers; what matters is that the call failed alone.
      assertTrue(e.getRemoteMessage().startsWith("broken gear: xxxx"), "a remote exception");
      assertEquals(0, rpcs.count(INVOKE));
      // One over the server's limit goes with Invoke, where its refusal fails it alone.
      String tooLarge = "x".repeat(Limits.defaults().maxMessageSize());
      IpcException refused = assertThrows(IpcException.class,
          () -> client.getExposedObject().call("fail", tooLarge));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatusCode(), refused.getMessage());
      assertEquals(1, rpcs.count(INVOKE));
      assertEquals(5L, client.getExposedObject().call("add", 2, 3));
      assertEquals(1, rpcs.count(SESSION), "the session went on");
    }
  }


  @ParameterizedTest
  @EnumSource(Transport.class)
  void theServerRefusesCallsBeyondTheBoundInFlight(Transport transport) throws Exception {
    try (Transport.Served served = start(transport, rpcs)) {
      ManagedChannel channel = served.channel();
      try {
        Received received = new Received();
        StreamObserver<SessionRequest> session =
            InvokeServiceGrpc.newStub(channel).session(received);
        for (int id = 1; id <= 257; id++) {
          session.onNext(call(id, "hold"));
        }
        assertTrue(received.firstAnswer.await(10, TimeUnit.SECONDS), "no refusal");
        SessionResponse refused = received.answers.get(0);
        assertEquals(257, refused.getId());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED.value(), refused.getError().getCode());
        assertEquals("more than 256 calls in flight on this session; calc.hold was not run",
            refused.getError().getMessage());
        calc.release.countDown();
        session.onCompleted();
        assertEquals(Status.Code.OK, received.end.get(30, TimeUnit.SECONDS).getCode());
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void stopEndsTheSessionAfterItsCallsInFlight(Transport transport) throws Exception {
    Transport.Served served = start(transport, rpcs);
    try (IpcClient client = served.client().name("calc").sessions(true).build()) {
      CompletableFuture<Object> inFlight = client.getExposedObject().callAsync("hold");
      assertTrue(calc.entered.await(10, TimeUnit.SECONDS));
      Future<?> stopping = threads.submit(() -> served.server().stop());
      for (int i = 0; i < 1000 && client.serverAvailable(); i++) {
        assertFalse(stopping.isDone()); // health turns NOT_SERVING once calls are refused
        Thread.onSpinWait();
      }
      assertFalse(client.serverAvailable());
      assertFalse(stopping.isDone());
      calc.release.countDown();
      assertEquals("held", inFlight.get(10, TimeUnit.SECONDS));
      stopping.get(20, TimeUnit.SECONDS);
      assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject().call("add", 1, 2));
    } finally {
      served.close();
    }
  }

  /** What a plain grpc client of {@code Session} receives. */
  static final class Received implements StreamObserver<SessionResponse> {
    final List<SessionResponse> answers = new CopyOnWriteArrayList<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    /** Counted down by the first answer. */
    final CountDownLatch firstAnswer = new CountDownLatch(1);

    @Override
    public void onNext(SessionResponse value) {
      answers.add(value);
      firstAnswer.countDown();
    }

    @Override
    public void onError(Throwable t) {
      end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }
  }

  private static SessionRequest call(long id, String method) {
    return SessionRequest.newBuilder().setCall(SessionRequest.Call.newBuilder().setId(id)
        .setRequest(InvokeRequest.newBuilder().setObject("calc").setMethod(method))).build();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void streamingMethodsAreAnsweredAsOneListAndHalfClosingCancelsTheCallsRunning(
      Transport transport) throws Exception {
    try (Transport.Served served = start(transport, rpcs)) {
      ManagedChannel channel = served.channel();
      try {
        Received received = new Received();
        StreamObserver<SessionRequest> session =
            InvokeServiceGrpc.newStub(channel).session(received);
        session.onNext(call(7, "items"));
        session.onNext(call(8, "block"));
        assertTrue(calc.entered.await(10, TimeUnit.SECONDS));
        // Call 7 runs on its own pool thread; half-closing before it is answered would cancel it.
        assertTrue(received.firstAnswer.await(10, TimeUnit.SECONDS), "call 7 not answered");
        session.onCompleted();
        assertEquals(Status.Code.OK, received.end.get(10, TimeUnit.SECONDS).getCode());
        assertTrue(calc.finished.await(10, TimeUnit.SECONDS), calc.how.get());
        assertEquals("interrupted; context cancelled: true", calc.how.get());

        assertEquals(1, received.answers.size()); // the cancelled call is not answered
        SessionResponse items = received.answers.get(0);
        assertEquals(7, items.getId());
        // As Invoke answers a streaming method: all its items in one list.
        assertTrue(items.hasAnswer(), items.toString());
        assertEquals(List.of("a", "b"), items.getAnswer().getValue().getListValue()
            .getValuesList().stream().map(v -> v.getStringValue()).toList());
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aServerWithoutSessionsIsCalledWithInvoke(Transport transport) throws Exception {
    Rpcs without = new Rpcs(true);
    try (Transport.Served served = start(transport, without);
        IpcClient blocking = served.client().name("calc").sessions(true).build();
        IpcClient async = served.client().name("calc").sessions(true).build()) {
      assertEquals(5L, blocking.getExposedObject().call("add", 2, 3));
      assertEquals(6L, blocking.getExposedObject().call("add", 3, 3));
      assertEquals(7L, async.getExposedObject().callAsync("add", 3, 4).get(10, TimeUnit.SECONDS));
      assertEquals(8L, async.getExposedObject().callAsync("add", 4, 4).get(10, TimeUnit.SECONDS));
      assertThrows(IpcRemoteException.class, () -> blocking.getExposedObject().call("fail", "x"));
      assertEquals(2, without.count(SESSION)); // once per client
      assertEquals(5, without.count(INVOKE));
    }
  }
}
