package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcUnavailableException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** start(), stop(), close() and awaitTermination() as docs/server.md describes them. */
class LifecycleTest {

  /** An object with work to wait for and a close() to count. */
  public static final class Worker {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger closed = new AtomicInteger();
    volatile boolean closedBeforeRelease;

    public int add(int a, int b) {
      return a + b;
    }

    public String block() throws InterruptedException {
      entered.countDown();
      return release.await(10, TimeUnit.SECONDS) ? "released" : "timed out";
    }

    /** Never returns until the test lets it; ignores interrupts. */
    public String hang() {
      entered.countDown();
      boolean interrupted = false;
      while (true) {
        try {
          if (release.await(10, TimeUnit.SECONDS)) {
            break;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return "finally";
    }

    /** Not AutoCloseable: a plain public close() counts too. */
    public void close() {
      closedBeforeRelease = release.getCount() > 0;
      closed.incrementAndGet();
    }
  }

  /** AutoCloseable, with a close() that fails. */
  public static final class Failing implements AutoCloseable {
    final AtomicInteger closed = new AtomicInteger();

    public String ping() {
      return "pong";
    }

    @Override
    public void close() throws IOException {
      closed.incrementAndGet();
      throw new IOException("close failed on purpose");
    }
  }

  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "lifecycle-test");
    t.setDaemon(true);
    return t;
  });
  private final Worker worker = new Worker();
  private final String name = "life-" + UUID.randomUUID();

  @AfterEach
  void tearDown() throws InterruptedException {
    worker.release.countDown();
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void startOnATakenPortFailsAfterRetryingAndLeavesNothingRunning() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = other.getLocalPort();
      IpcServer server = IpcServer.builder().name(name).expose(worker)
          .host("127.0.0.1").port(port).build();
      long start = System.nanoTime();
      BindException e = assertThrows(BindException.class, server::start);
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals("cannot bind 127.0.0.1:" + port
          + ": address already in use (tried 6 times, 10 ms apart)", e.getMessage());
      assertTrue(elapsedMillis >= 50, "gave up after " + elapsedMillis + " ms, without retrying");
      assertFalse(server.isRunning());
      assertEquals(-1, server.port());
      assertEquals(0, worker.closed.get(), "a failed start closed the objects");
      other.setSoTimeout(5000);
      try (Socket client = new Socket("127.0.0.1", port); Socket accepted = other.accept()) {
        assertEquals(client.getLocalPort(), accepted.getPort());
      }
      assertNothingLeftRunning(before);

      // A failed start leaves the server as it was built: it may be started again...
      assertThrows(BindException.class, server::start);
      assertFalse(server.awaitTermination(Duration.ZERO));
      // ...and stopping it closes the objects, as for a server that never started.
      server.stop();
      assertEquals(1, worker.closed.get());
      assertTrue(server.awaitTermination(Duration.ZERO));
      IllegalStateException again = assertThrows(IllegalStateException.class, server::start);
      assertEquals("server already stopped", again.getMessage());
      assertNothingLeftRunning(before);
    }
  }

  @Test
  void startOnATakenInProcessNameFails() throws Exception {
    String inProcess = "taken-" + UUID.randomUUID();
    try (IpcServer first = IpcServer.builder().expose(new Worker()).inProcess(inProcess).start()) {
      IpcServer second = IpcServer.builder().expose(worker).inProcess(inProcess).build();
      IOException e = assertThrows(IOException.class, second::start);
      assertTrue(e.getMessage().contains(inProcess), e.getMessage());
      assertFalse(second.isRunning());
      assertTrue(first.isRunning());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void stopTurnsHealthDownRefusesNewCallsAndLetsCallsInFlightFinish(Transport transport)
      throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Transport.Served served =
        transport.start(IpcServer.builder().name(name).expose(worker).expose("two", worker));
    ManagedChannel channel = served.channel();
    try (IpcClient client = served.client().name(name).build()) {
      assertTrue(client.serverAvailable());
      assertEquals(ServingStatus.SERVING, health(channel, name));
      Future<Object> inFlight = threads.submit(() -> client.getExposedObject().call("block"));
      assertTrue(worker.entered.await(10, TimeUnit.SECONDS));
      Future<?> stopping = threads.submit(served.server()::stop);

      ErrorTableTest.awaitNotServing(channel);
      ErrorTableTest.awaitNotServing(channel, name);
      ErrorTableTest.awaitNotServing(channel, "two");
      assertFalse(client.serverAvailable());
      IpcUnavailableException refused = assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject().call("add", 1, 2));
      assertEquals("the server is stopping (" + served.call(name, "add") + ")",
          refused.getMessage());
      assertFalse(stopping.isDone());
      assertEquals(0, worker.closed.get(), "closed while a call was in flight");

      worker.release.countDown();
      assertEquals("released", inFlight.get(10, TimeUnit.SECONDS));
      stopping.get(10, TimeUnit.SECONDS);
      assertEquals(1, worker.closed.get());
      assertFalse(worker.closedBeforeRelease);
      assertFalse(served.server().isRunning());
      assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject().call("add", 1, 2));
      assertFalse(client.serverAvailable());
    } finally {
      Transport.shutdown(channel);
    }
    assertNothingLeftRunning(before);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void closeRunsExactlyOnceThoughStoppedTwiceFromTwoThreads(Transport transport)
      throws Exception {
    Failing failing = new Failing();
    Transport.Served served = transport.start(IpcServer.builder().name(name)
        .expose(worker).expose("again", worker).expose("failing", failing)
        .expose("failing-too", failing));
    CyclicBarrier together = new CyclicBarrier(2);
    List<Future<Integer>> stops = List.of(
        threads.submit(() -> stopTogether(served.server(), together)),
        threads.submit(() -> stopTogether(served.server(), together)));
    for (Future<Integer> stop : stops) {
      assertEquals(1, stop.get(10, TimeUnit.SECONDS), "stop() returned before the server closed");
    }
    served.server().stop();
    served.server().close();
    assertEquals(1, worker.closed.get());
    assertEquals(1, failing.closed.get());
  }

  private Integer stopTogether(IpcServer server, CyclicBarrier together) throws Exception {
    together.await(10, TimeUnit.SECONDS);
    server.stop();
    return worker.closed.get();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void autoCloseableAndAwaitTermination(Transport transport) throws Exception {
    Transport.Served served;
    Future<Boolean> waiter;
    try (Transport.Served s = transport.start(IpcServer.builder().name(name).expose(worker));
        IpcClient client = s.client().name(name).build()) {
      served = s;
      waiter = threads.submit(() -> {
        s.server().awaitTermination();
        return true;
      });
      assertEquals(3L, client.getExposedObject().call("add", 1, 2));
      assertTrue(s.server().isRunning());
      assertFalse(s.server().awaitTermination(Duration.ofMillis(20)));
      assertFalse(waiter.isDone());
    }
    assertTrue(waiter.get(10, TimeUnit.SECONDS));
    assertTrue(served.server().awaitTermination(Duration.ZERO));
    assertFalse(served.server().isRunning());
    assertEquals(1, worker.closed.get());
    if (transport == Transport.TCP) {
      try (ServerSocket reuse = new ServerSocket(served.address().port(), 50,
          InetAddress.getByName("127.0.0.1"))) {
        assertEquals(served.address().port(), reuse.getLocalPort());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aMethodThatNeverReturnsDoesNotHoldStopBeyondTheGracePeriod(Transport transport)
      throws Exception {
    Transport.Served served = transport.start(IpcServer.builder().name(name).expose(worker)
        .gracePeriod(Duration.ofMillis(200)));
    try (IpcClient client = served.client().name(name).build()) {
      Future<Object> stuck = threads.submit(() -> client.getExposedObject().call("hang"));
      assertTrue(worker.entered.await(10, TimeUnit.SECONDS));
      long start = System.nanoTime();
      served.server().stop();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis >= 200, "stop() did not wait the grace period: " + millis + " ms");
      assertTrue(millis < 5000, "stop() took " + millis + " ms");
      assertEquals(1, worker.closed.get());
      Exception failure = assertThrows(Exception.class, () -> stuck.get(10, TimeUnit.SECONDS));
      assertTrue(failure.getCause() instanceof IpcException, String.valueOf(failure.getCause()));
    }
  }

  private static ServingStatus health(ManagedChannel channel, String service) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  /** No thread of this test's server, and no new non-daemon thread, stays alive (bounded wait). */
  private void assertNothingLeftRunning(Set<Thread> before) throws InterruptedException {
    Set<Thread> left = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t)
          && (t.getName().startsWith("ipc-server-" + name) || !t.isDaemon())) {
        t.join(5000);
        if (t.isAlive()) {
          left.add(t);
        }
      }
    }
    assertEquals(Set.of(), left);
  }
}
