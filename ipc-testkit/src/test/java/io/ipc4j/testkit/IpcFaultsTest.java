package io.ipc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcDeadlineExceededException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.IpcUnavailableException;
import io.ipc4j.client.RemoteObject;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.SessionRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each fault produces the exception a user of the client would catch, the same whether the client
 * sends its calls on a session or each with {@code Invoke}.
 */
@ParameterizedClass(name = "sessions {0}")
@ValueSource(booleans = {true, false})
class IpcFaultsTest {
  private final CountingCalc calc = new CountingCalc();
  private final CountingCalc other = new CountingCalc();
  private final Recorder log = new Recorder();
  private final ExecutorService background = Executors.newFixedThreadPool(2);
  private final boolean sessions;
  private final AtomicInteger sessionStreams = new AtomicInteger();
  private final AtomicInteger onewayOnSessions = new AtomicInteger();

  @RegisterExtension
  final IpcExtension ipc;

  IpcFaultsTest(boolean sessions) {
    this.sessions = sessions;
    ipc = IpcExtension.inProcess()
        .expose("calc", calc, Calc.class)
        .expose("other", other, Calc.class)
        .expose("log", log)
        .configureClient(b -> b.sessions(sessions).intercept(new SessionCounter()));
  }

  /** Records what its oneway calls were given, in the order they ran. */
  public static final class Recorder {
    final List<String> seen = new CopyOnWriteArrayList<>();
    final Semaphore ran = new Semaphore(0);

    public void record(String what) {
      seen.add(what);
      ran.release();
    }
  }

  /** Counts the Session streams the clients open, and the oneway calls sent on them. */
  private final class SessionCounter implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      if (!method.getFullMethodName().equals(
          InvokeServiceGrpc.getSessionMethod().getFullMethodName())) {
        return next.newCall(method, options);
      }
      sessionStreams.incrementAndGet();
      return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void sendMessage(Q message) {
          if (message instanceof SessionRequest r && r.getCall().getOneway()) {
            onewayOnSessions.incrementAndGet();
          }
          super.sendMessage(message);
        }
      };
    }
  }

  @AfterEach
  void stopBackground() throws InterruptedException {
    background.shutdownNow();
    assertTrue(background.awaitTermination(10, TimeUnit.SECONDS));
    assertEquals(sessions, sessionStreams.get() > 0, "calls went out on a session");
  }

  private String at() {
    return " (calc.add at in-process:" + ipc.inProcessName() + ")";
  }

  @Test
  void unavailableFailsTheNextCallsThenCallsWorkAgain() {
    Calc proxy = ipc.proxy(Calc.class);
    ipc.faults().next(2).unavailable();

    for (int i = 0; i < 2; i++) {
      IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
          () -> proxy.add(1, 2));
      assertEquals("unavailable: fault injected by IpcExtension.faults()" + at(), e.getMessage());
      assertEquals(Status.Code.UNAVAILABLE, e.getStatusCode());
    }
    assertEquals(3, proxy.add(1, 2));
    assertEquals(1, calc.calls());
    assertEquals(2, ipc.faults().injected());
  }

  @Test
  void deadlineExceededFailsWithoutRunningTheMethod() {
    ipc.faults().next().deadlineExceeded();

    IpcDeadlineExceededException e = assertThrows(IpcDeadlineExceededException.class,
        () -> ipc.proxy(Calc.class).add(1, 2));
    assertEquals("deadline exceeded: fault injected by IpcExtension.faults()" + at(),
        e.getMessage());
    assertEquals(0, calc.calls());
  }

  @Test
  void delaySlowsTheCallThenAnswersIt() {
    ipc.faults().next().delay(Duration.ofMillis(300));

    long start = System.nanoTime();
    assertEquals(3, ipc.proxy(Calc.class).add(1, 2));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
    assertEquals(1, calc.calls());
    assertEquals(5, ipc.proxy(Calc.class).add(2, 3), "only the next call is slow");
  }

  @Test
  void delayedCallsWaitSideBySideNotInTurn() throws Exception {
    // In turn they would take at least 4 s; side by side 2 s, with 2 s to spare for a loaded
    // machine.
    ipc.faults().next(2).delay(Duration.ofSeconds(2));
    Calc proxy = ipc.proxy(Calc.class);

    long start = System.nanoTime();
    CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> proxy.add(1, 1), background);
    CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> proxy.add(2, 2), background);
    assertEquals(2, a.get(10, TimeUnit.SECONDS));
    assertEquals(4, b.get(10, TimeUnit.SECONDS));
    long elapsed = System.nanoTime() - start;
    assertTrue(elapsed >= TimeUnit.SECONDS.toNanos(2));
    assertTrue(elapsed < TimeUnit.MILLISECONDS.toNanos(3900), "took " + elapsed + " ns");
  }

  @Test
  void delayLongerThanTheDeadlineFailsAtTheDeadline() {
    IpcClient impatient = ipc.newClient(b -> b.deadline(Duration.ofMillis(200)));
    ipc.faults().next().delay(Duration.ofSeconds(30));

    long start = System.nanoTime();
    assertThrows(IpcDeadlineExceededException.class,
        () -> impatient.getExposedObject(Calc.class).add(1, 2));
    long elapsed = System.nanoTime() - start;
    assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(200));
    assertTrue(elapsed < TimeUnit.SECONDS.toNanos(10), "took " + elapsed + " ns");
    assertEquals(0, calc.calls(), "the call never reached the server");
  }

  @Test
  void delayedCallHoldsBackNoOtherCallAndCancellingItKeepsItFromTheServer() {
    ipc.faults().next().delay(Duration.ofSeconds(30));
    CompletableFuture<Object> held = ipc.client().getExposedObject("calc").callAsync("add", 1, 1);
    assertEquals(1, ipc.faults().injected(), "the fault is taken as the call is sent");

    assertEquals(5, ipc.proxy(Calc.class).add(2, 3));
    assertFalse(held.isDone(), "still held");
    assertTrue(held.cancel(true)); // else teardown would report it still held
    assertEquals(1, calc.calls(), "only the other call ran");
  }

  @Test
  void asyncCallsSufferFaultsToo() {
    RemoteObject remote = ipc.client().getExposedObject("calc");
    ipc.faults().next().unavailable().next().throwing(new IllegalStateException("boom"));

    ExecutionException unavailable = assertThrows(ExecutionException.class,
        () -> remote.callAsync("add", 1, 2).get(10, TimeUnit.SECONDS));
    assertEquals(IpcUnavailableException.class, unavailable.getCause().getClass());
    assertEquals("unavailable: fault injected by IpcExtension.faults()" + at(),
        unavailable.getCause().getMessage());
    ExecutionException thrown = assertThrows(ExecutionException.class,
        () -> remote.callAsync("add", 1, 2).get(10, TimeUnit.SECONDS));
    IpcRemoteException remoteFailure = (IpcRemoteException) thrown.getCause();
    assertEquals("calc.add at in-process:" + ipc.inProcessName()
        + " threw: java.lang.IllegalStateException: boom", remoteFailure.getMessage());
    assertEquals(0, calc.calls());
    assertEquals(2, ipc.faults().injected());
  }

  @Test
  void onewayCallWithAFaultDoesNotRunAndTheNextDoes() throws Exception {
    RemoteObject remote = ipc.client().getExposedObject("log");
    remote.call("record", "first"); // the client learns that the server offers sessions
    ipc.faults().next().forMethod("record").unavailable();

    remote.callOneway("record", "lost");
    remote.callOneway("record", "kept");
    assertTrue(log.ran.tryAcquire(2, 10, TimeUnit.SECONDS));
    assertEquals(List.of("first", "kept"), log.seen);
    assertEquals(1, ipc.faults().injected());
    assertEquals(sessions ? 2 : 0, onewayOnSessions.get());
  }

  @Test
  void onewayCallsAfterADelayedOneWaitForItAndKeepTheirOrder() throws Exception {
    RemoteObject remote = ipc.client().getExposedObject("log");
    remote.call("record", "first");
    ipc.faults().next().forMethod("record").delay(Duration.ofMillis(300));

    long start = System.nanoTime();
    remote.callOneway("record", "slow");
    remote.callOneway("record", "next");
    assertTrue(log.ran.tryAcquire(3, 10, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
    assertEquals(List.of("first", "slow", "next"), log.seen);
    assertEquals(sessions ? 2 : 0, onewayOnSessions.get());
  }

  @Test
  void throwingAnUndeclaredExceptionGivesIpcRemoteException() {
    ipc.faults().next().throwing(new IllegalStateException("boom"));

    IpcRemoteException e = assertThrows(IpcRemoteException.class,
        () -> ipc.proxy(Calc.class).add(1, 2));
    assertEquals("calc.add at in-process:" + ipc.inProcessName()
        + " threw: java.lang.IllegalStateException: boom", e.getMessage());
    assertEquals("java.lang.IllegalStateException", e.getRemoteClassName());
    assertEquals("boom", e.getRemoteMessage());
    assertEquals(ErrorReason.REMOTE_EXCEPTION, e.getReason());
    assertEquals(Status.Code.UNKNOWN, e.getStatusCode());
    assertTrue(e.getRemoteTraceback().startsWith("java.lang.IllegalStateException: boom\n\tat "
        + IpcFaultsTest.class.getName() + ".throwingAnUndeclaredException"),
        e.getRemoteTraceback());
    assertEquals(e.getRemoteTraceback(), IpcClient.getTraceback());
    assertEquals(0, calc.calls());
  }

  @Test
  void throwingADeclaredExceptionRebuildsItThroughTheProxy() {
    ipc.faults().next().throwing(new CalcException("injected"));

    CalcException e = assertThrows(CalcException.class,
        () -> ipc.proxy(Calc.class).divide(4, 2));
    assertEquals("injected", e.getMessage());
    assertEquals(0, calc.calls());
  }

  @Test
  void forMethodLeavesOtherMethodsAlone() throws CalcException {
    ipc.faults().next().forMethod("divide").unavailable();
    Calc proxy = ipc.proxy(Calc.class);

    assertEquals(3, proxy.add(1, 2));
    assertThrows(IpcUnavailableException.class, () -> proxy.divide(4, 2));
    assertEquals(2, proxy.divide(4, 2));
  }

  @Test
  void forObjectLeavesOtherObjectsAlone() {
    ipc.faults().always().forObject("other").unavailable();

    assertEquals(3, ipc.proxy("calc", Calc.class).add(1, 2));
    assertThrows(IpcUnavailableException.class, () -> ipc.proxy("other", Calc.class).add(1, 2));
    assertThrows(IpcUnavailableException.class, () -> ipc.proxy("other", Calc.class).add(1, 2));
    assertEquals(0, other.calls());
  }

  @Test
  void alwaysLastsUntilCleared() {
    Calc proxy = ipc.proxy(Calc.class);
    ipc.faults().always().unavailable();
    for (int i = 0; i < 3; i++) {
      assertThrows(IpcUnavailableException.class, () -> proxy.add(1, 2));
    }
    ipc.faults().clear();
    assertEquals(3, proxy.add(1, 2));
    assertEquals(0, ipc.faults().injected());
  }

  @Test
  void chainedRulesApplyInTurn() {
    Calc proxy = ipc.proxy(Calc.class);
    ipc.faults().next().unavailable().next().deadlineExceeded();

    assertThrows(IpcUnavailableException.class, () -> proxy.add(1, 2));
    assertThrows(IpcDeadlineExceededException.class, () -> proxy.add(1, 2));
    assertEquals(3, proxy.add(1, 2));
  }

  @Test
  void dynamicCallsAndDescribeSufferFaultsButHealthChecksDoNot() {
    RemoteObject remote = ipc.client().getExposedObject("calc");
    ipc.faults().next().unavailable();
    assertThrows(IpcUnavailableException.class, () -> remote.call("add", 1, 2));

    ipc.faults().next().forMethod("add").unavailable();
    assertFalse(remote.methods().isEmpty(), "describe is not the method add");
    ipc.faults().clear().next().unavailable();
    assertThrows(IpcUnavailableException.class, remote::methods);

    ipc.faults().always().unavailable();
    assertTrue(ipc.client().serverAvailable());
  }

  @Test
  void badRulesFailAtOnce() {
    IpcFaults faults = ipc.faults();
    assertEquals("calls must be positive, was 0",
        assertThrows(IllegalArgumentException.class, () -> faults.next(0)).getMessage());
    assertEquals("delay must not be negative, was PT-1S", assertThrows(
        IllegalArgumentException.class,
        () -> faults.next().delay(Duration.ofSeconds(-1))).getMessage());
    assertEquals("delay == null",
        assertThrows(NullPointerException.class, () -> faults.next().delay(null)).getMessage());
    assertEquals("thrown == null",
        assertThrows(NullPointerException.class, () -> faults.next().throwing(null)).getMessage());
    assertEquals("method must not be blank", assertThrows(IllegalArgumentException.class,
        () -> faults.next().forMethod("")).getMessage());
    assertEquals("object == null",
        assertThrows(NullPointerException.class, () -> faults.next().forObject(null)).getMessage());
    assertEquals(3, ipc.proxy(Calc.class).add(1, 2), "no rule was added");
  }
}
