package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.Status;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcDeadlineExceededException;
import io.ipc4j.client.IpcException;
import io.ipc4j.server.IpcServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client's deadline and its cancellation reach the server method: through gRPC's {@link
 * Context} (which the method can watch) and as an interrupt of the thread that runs it (so that a
 * method blocked in a wait stops).
 */
class CancellationTest {
  private static final Duration CLIENT_DEADLINE = Duration.ofMillis(300);
  /** How soon after the client gave up the server method must know. */
  private static final long BOUND_MILLIS = 2_000;

  /** Waits the ways a method may wait, and records what ended each wait and when. */
  public static final class Waiter {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch finished = new CountDownLatch(1);
    final CountDownLatch never = new CountDownLatch(1);
    final AtomicReference<String> how = new AtomicReference<>("still waiting");
    final AtomicLong endedNanos = new AtomicLong();

    /** Waits until the call's Context is cancelled, as a method that watches it does. */
    public String watchContext() throws InterruptedException {
      Context context = Context.current();
      CountDownLatch cancelled = new CountDownLatch(1);
      context.addListener(c -> cancelled.countDown(), Runnable::run);
      entered.countDown();
      try {
        boolean seen = cancelled.await(20, TimeUnit.SECONDS);
        end(seen ? "context cancelled: " + context.cancellationCause() : "not cancelled");
      } catch (InterruptedException e) {
        end("interrupted; context cancelled: " + context.isCancelled());
        throw e;
      }
      return "done";
    }

    /** Blocks in an interruptible wait without looking at the Context. */
    public String block() {
      entered.countDown();
      try {
        boolean released = never.await(20, TimeUnit.SECONDS);
        end(released ? "released" : "not interrupted within 20 s");
      } catch (InterruptedException e) {
        end("interrupted; context cancelled: " + Context.current().isCancelled());
        Thread.currentThread().interrupt();
      }
      return "done";
    }

    private void end(String what) {
      how.set(what);
      endedNanos.set(System.nanoTime());
      finished.countDown();
    }
  }

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Waiter waiter = new Waiter();

  @AfterEach
  void tearDown() throws InterruptedException {
    waiter.never.countDown();
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void theDeadlineCancelsTheCallsContextOnTheServer(Net net) throws Exception {
    try (Net.Served served = net.start(IpcServer.builder().expose("waiter", waiter));
        IpcClient client = served.client().name("waiter").deadline(CLIENT_DEADLINE).build()) {
      long start = System.nanoTime();
      assertThrows(IpcDeadlineExceededException.class,
          () -> client.getExposedObject().call("watchContext"));
      long gaveUp = System.nanoTime();
      assertTrue(waiter.finished.await(10, TimeUnit.SECONDS), waiter.how.get());
      assertTrue(waiter.how.get().startsWith("context cancelled: ")
          || waiter.how.get().startsWith("interrupted; context cancelled: true"),
          waiter.how.get());
      assertWithinBound(gaveUp, "deadline via Context", start);
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void theDeadlineInterruptsTheThreadThatRunsTheMethod(Net net) throws Exception {
    try (Net.Served served = net.start(IpcServer.builder().expose("waiter", waiter));
        IpcClient client = served.client().name("waiter").deadline(CLIENT_DEADLINE).build()) {
      long start = System.nanoTime();
      assertThrows(IpcDeadlineExceededException.class,
          () -> client.getExposedObject().call("block"));
      long gaveUp = System.nanoTime();
      assertTrue(waiter.finished.await(30, TimeUnit.SECONDS), waiter.how.get());
      assertEquals("interrupted; context cancelled: true", waiter.how.get());
      assertWithinBound(gaveUp, "deadline via interrupt", start);
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void aCancelledCallInterruptsTheServerMethod(Net net) throws Exception {
    try (Net.Served served = net.start(IpcServer.builder().expose("waiter", waiter));
        IpcClient client = served.client().name("waiter").build()) {
      AtomicReference<Thread> caller = new AtomicReference<>();
      Future<IpcException> call = threads.submit(() -> {
        caller.set(Thread.currentThread());
        try {
          client.getExposedObject().call("block");
          return null;
        } catch (IpcException e) {
          return e;
        }
      });
      assertTrue(waiter.entered.await(10, TimeUnit.SECONDS));
      long start = System.nanoTime();
      caller.get().interrupt(); // the blocking call cancels its RPC, as grpc's stubs do
      IpcException e = call.get(10, TimeUnit.SECONDS);
      long gaveUp = System.nanoTime();
      assertEquals(Status.Code.CANCELLED, e.getStatusCode(), String.valueOf(e));
      assertTrue(waiter.finished.await(30, TimeUnit.SECONDS), waiter.how.get());
      assertEquals("interrupted; context cancelled: true", waiter.how.get());
      assertWithinBound(gaveUp, "cancellation via interrupt", start);
    }
  }

  private void assertWithinBound(long gaveUpNanos, String what, long startNanos) {
    long lag = TimeUnit.NANOSECONDS.toMillis(waiter.endedNanos.get() - gaveUpNanos);
    System.out.println("FAULT-CANCEL " + what + ": the method knew " + lag
        + " ms after the client gave up (" + TimeUnit.NANOSECONDS.toMillis(gaveUpNanos
            - startNanos) + " ms after the call began)");
    assertTrue(lag < BOUND_MILLIS, what + ": the method knew only " + lag
        + " ms after the client gave up");
  }
}
