package io.ipc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertLinesMatch;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.MethodDescriptor;
import io.ipc4j.client.IpcClient;
import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** What a test leaves running fails it, naming the leak, without hiding the test's own failure. */
class IpcExtensionLeakTest {
  private static final String HEADER =
      "IpcExtension left resources running after %s \\(in-process ipc-testkit-[0-9a-f-]{36}\\):";
  private static final String EXTRA = "  threads of an IpcServer the test started and did not stop"
      + " are still running: ipc-server-extra-\\d+(, ipc-server-extra-\\d+)*";
  private static final Duration SHORT = Duration.ofMillis(200);
  /** Threads the fixtures start calls on; shut down after each test. */
  static ExecutorService callers;
  /** Lets the fixtures' blocked methods return. */
  static CountDownLatch release;
  /** Tells the fixtures' tests that their call has reached its point. */
  static CountDownLatch reached;
  /** A server a fixture started and did not stop. */
  static IpcServer extra;
  /** Whether the fixtures' clients send their calls on a session. */
  static boolean sessions;

  static {
    reset();
  }

  private static void reset() {
    callers = Executors.newCachedThreadPool();
    release = new CountDownLatch(1);
    reached = new CountDownLatch(1);
    sessions = true;
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    release.countDown();
    if (extra != null) {
      extra.stop();
      extra = null;
    }
    callers.shutdownNow();
    assertTrue(callers.awaitTermination(10, TimeUnit.SECONDS));
    reset();
  }

  /** Blocks until {@link #release}, interruptibly or not. */
  public static final class Blocker {
    public String block() throws InterruptedException {
      reached.countDown();
      return release.await(30, TimeUnit.SECONDS) ? "released" : "gave up";
    }

    public String ignoreInterrupts() {
      reached.countDown();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < end) {
        try {
          if (release.await(end - System.nanoTime(), TimeUnit.NANOSECONDS)) {
            return "released";
          }
        } catch (InterruptedException e) {
          // careless code swallows the interrupt, so that stop() cannot end it
        }
      }
      return "gave up";
    }
  }

  private static Throwable onlyFailure(Events events) {
    List<Event> failed = events.failed().list();
    assertEquals(1, failed.size(), () -> "failures: " + failed);
    return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow()
        .getThrowable().orElseThrow();
  }

  private static String stacks(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }

  private static List<String> lines(Throwable t) {
    return List.of(t.getMessage().split("\n"));
  }

  @Fixture
  static class HangingCallFixture {
    @RegisterExtension
    final IpcExtension ipc = IpcExtension.inProcess().expose("hang", new Blocker())
        .configureClient(b -> b.sessions(sessions)).shutdownTimeout(SHORT);

    @Test
    void leavesACallRunning() throws InterruptedException {
      callers.submit(() -> ipc.client().getExposedObject().call("block"));
      assertTrue(reached.await(10, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest(name = "sessions {0}")
  @ValueSource(booleans = {true, false})
  void callStillRunningAfterTheTestFailsIt(boolean sessions) {
    IpcExtensionLeakTest.sessions = sessions;
    Throwable leak = onlyFailure(Fixtures.run(HangingCallFixture.class).testEvents());
    assertInstanceOf(AssertionError.class, leak);
    assertLinesMatch(List.of(
        String.format(HEADER, "leavesACallRunning\\(\\)"),
        "  call hang.block did not finish within 200 ms \\(thread ipc-server-hang-\\d+ at "
            + "io\\.ipc4j\\.testkit\\.IpcExtensionLeakTest\\$Blocker\\.block\\("
            + "IpcExtensionLeakTest\\.java:\\d+\\)\\)"),
        lines(leak), () -> stacks(leak));
    assertEquals(1, leak.getSuppressed().length);
    assertTrue(leak.getSuppressed()[0].getMessage().startsWith("stack of thread ipc-server-hang-"));
  }

  @Fixture
  static class StuckThreadFixture {
    @RegisterExtension
    final IpcExtension ipc =
        IpcExtension.inProcess().expose("stuck", new Blocker()).shutdownTimeout(SHORT);

    @Test
    void leavesAThreadThatIgnoresInterrupts() throws InterruptedException {
      callers.submit(() -> ipc.client().getExposedObject().call("ignoreInterrupts"));
      assertTrue(reached.await(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void serverThreadStillAliveAfterTeardownFailsTheTest() {
    Throwable leak = onlyFailure(Fixtures.run(StuckThreadFixture.class).testEvents());
    String where = " at io\\.ipc4j\\.testkit\\.IpcExtensionLeakTest\\$Blocker\\.ignoreInterrupts"
        + "\\(IpcExtensionLeakTest\\.java:\\d+\\)";
    assertLinesMatch(List.of(
        String.format(HEADER, "leavesAThreadThatIgnoresInterrupts\\(\\)"),
        "  call stuck.ignoreInterrupts did not finish within 200 ms \\(thread "
            + "ipc-server-stuck-\\d+" + where + "\\)",
        "  thread ipc-server-stuck-\\d+ of its server is still running" + where),
        lines(leak), leak.getMessage());
  }

  @Fixture
  static class ExtraServerFixture {
    @RegisterExtension
    final IpcExtension ipc = IpcExtension.inProcess()
        .expose("calc", new CountingCalc(), Calc.class).shutdownTimeout(SHORT);

    @Test
    void startsAServerAndForgetsIt() throws IOException {
      startExtraServer();
    }
  }

  static void startExtraServer() throws IOException {
    String name = UUID.randomUUID().toString();
    extra = IpcServer.builder().inProcess(name).expose("extra", new CountingCalc()).start();
    try (IpcClient client = IpcClient.builder().inProcess(name).name("extra").build()) {
      assertEquals(3, client.getExposedObject(Calc.class).add(1, 2));
    }
  }

  @Test
  void serverTheTestStartedAndDidNotStopFailsIt() {
    Throwable leak = onlyFailure(Fixtures.run(ExtraServerFixture.class).testEvents());
    assertLinesMatch(List.of(
        String.format(HEADER, "startsAServerAndForgetsIt\\(\\)"),
        EXTRA),
        lines(leak), leak.getMessage());
  }

  @Fixture
  static class FailingAndLeakingFixture {
    @RegisterExtension
    final IpcExtension ipc = IpcExtension.inProcess()
        .expose("calc", new CountingCalc(), Calc.class).shutdownTimeout(SHORT);

    @Test
    void failsAndLeaks() throws IOException {
      startExtraServer();
      fail("the test's own failure");
    }
  }

  @Test
  void testsOwnFailureStaysFirstWithTheLeakSuppressed() {
    Throwable failure = onlyFailure(Fixtures.run(FailingAndLeakingFixture.class).testEvents());
    assertEquals("the test's own failure", failure.getMessage());
    assertEquals(1, failure.getSuppressed().length);
    assertLinesMatch(List.of(
        String.format(HEADER, "failsAndLeaks\\(\\)"),
        EXTRA),
        lines(failure.getSuppressed()[0]),
        failure.getSuppressed()[0].getMessage());
  }

  @Fixture
  static class PerClassLeakFixture {
    @RegisterExtension
    static IpcExtension ipc = IpcExtension.inProcess()
        .expose("calc", new CountingCalc(), Calc.class).shutdownTimeout(SHORT);

    @Test
    void startsAServerAndForgetsIt() throws IOException {
      startExtraServer();
    }
  }

  @Test
  void perClassLeakFailsTheClass() {
    EngineExecutionResults results = Fixtures.run(PerClassLeakFixture.class);
    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    Throwable leak = onlyFailure(results.containerEvents());
    assertLinesMatch(List.of(
        String.format(HEADER, "IpcExtensionLeakTest\\$PerClassLeakFixture"),
        EXTRA),
        lines(leak), leak.getMessage());
  }

  /** Counts {@link #reached} down once a call has been handed to the fault interceptor. */
  static final class Sent implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void sendMessage(Q message) {
          super.sendMessage(message);
          reached.countDown();
        }
      };
    }
  }

  @Fixture
  static class HeldCallFixture {
    @RegisterExtension
    final IpcExtension ipc = IpcExtension.inProcess()
        .expose("calc", new CountingCalc(), Calc.class)
        .configureClient(b -> b.sessions(sessions).intercept(new Sent()))
        .shutdownTimeout(SHORT);

    @Test
    void leavesADelayedCallBehind() throws InterruptedException {
      ipc.faults().next().delay(Duration.ofMinutes(1));
      callers.submit(() -> ipc.proxy(Calc.class).add(1, 2));
      assertTrue(reached.await(10, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest(name = "sessions {0}")
  @ValueSource(booleans = {true, false})
  void callStillHeldByADelayFailsTheTestAndIsCancelled(boolean sessions) {
    IpcExtensionLeakTest.sessions = sessions;
    Throwable leak = onlyFailure(Fixtures.run(HeldCallFixture.class).testEvents());
    assertLinesMatch(List.of(
        String.format(HEADER, "leavesADelayedCallBehind\\(\\)"),
        "  call calc.add is still held by faults().delay(PT1M); the test did not wait for it"),
        lines(leak), leak.getMessage());
  }

  @Fixture
  static class FinishedSessionCallsFixture {
    @RegisterExtension
    final IpcExtension ipc = IpcExtension.inProcess().expose("hang", new Blocker())
        .expose("calc", new CountingCalc(), Calc.class).shutdownTimeout(SHORT);

    @Test
    void leavesTheSessionOpenAndIdle() throws InterruptedException {
      assertEquals(3, ipc.proxy("calc", Calc.class).add(1, 2));
      CompletableFuture<Object> blocked = ipc.client().getExposedObject("hang")
          .callAsync("block");
      assertTrue(reached.await(10, TimeUnit.SECONDS));
      assertTrue(blocked.cancel(true)); // the server interrupts it
    }
  }

  @Test
  void idleSessionAndCancelledSessionCallAreNoLeak() {
    Fixtures.run(FinishedSessionCallsFixture.class).testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1).failed(0));
  }
}
