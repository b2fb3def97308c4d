package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcUnavailableException;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client pointed at several replicas: round-robin over the healthy ones, and a replica that
 * stops is skipped without a failed call. Three servers on loopback, real TCP.
 */
class ScaleOutTest {
  private static final int CALLS = 150;
  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(20);
  /** Far longer than a client takes to see NOT_SERVING, even on a loaded machine. */
  private static final Duration DRAIN_DELAY = Duration.ofMillis(1500);

  private final List<IpcServer> servers = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** One replica's object: counts the calls it gets. */
  public static final class Replica {
    final AtomicInteger calls = new AtomicInteger();
    private final int id;

    Replica(int id) {
      this.id = id;
    }

    public int hit() {
      calls.incrementAndGet();
      return id;
    }
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    servers.parallelStream().forEach(IpcServer::stop);
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
  }

  private List<Replica> replicas(int n, Duration drainDelay) throws IOException {
    List<Replica> replicas = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Replica r = new Replica(i);
      servers.add(IpcServer.builder().expose(r).host("127.0.0.1").port(0)
          .drainDelay(drainDelay).start());
      replicas.add(r);
    }
    return replicas;
  }

  private String staticTarget() {
    return servers.stream().map(s -> "127.0.0.1:" + s.port())
        .collect(Collectors.joining(",", "static:///", ""));
  }

  private static int[] counts(List<Replica> replicas) {
    return replicas.stream().mapToInt(r -> r.calls.get()).toArray();
  }

  /** Calls until every replica has answered once (connections come up one by one). */
  private static void warmUp(IpcClient client, List<Replica> replicas) {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (replicas.stream().anyMatch(r -> r.calls.get() == 0)) {
      assertTrue(System.nanoTime() < deadline, "not every replica got a call: "
          + Arrays.toString(counts(replicas)));
      client.getExposedObject().call("hit");
    }
  }

  @Test
  void callsSpreadOverAllReplicas() throws Exception {
    List<Replica> replicas = replicas(3, Duration.ZERO);
    try (IpcClient client = IpcClient.builder().target(staticTarget()).build()) {
      warmUp(client, replicas);
      int[] before = counts(replicas);
      for (int i = 0; i < CALLS; i++) {
        client.getExposedObject().call("hit");
      }
      int[] after = counts(replicas);
      int total = 0;
      for (int i = 0; i < replicas.size(); i++) {
        int got = after[i] - before[i];
        total += got;
        assertTrue(got >= CALLS / 6, "replica " + i + " got " + got + " of " + CALLS + " calls");
      }
      assertEquals(CALLS, total);
    }
  }

  @Test
  void stoppedReplicaIsSkippedWithoutFailedCalls() throws Exception {
    List<Replica> replicas = replicas(3, DRAIN_DELAY);
    IpcServer stopping = servers.get(0);
    Replica gone = replicas.get(0);
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger succeeded = new AtomicInteger();
    AtomicBoolean done = new AtomicBoolean();
    try (IpcClient client = IpcClient.builder().target(staticTarget()).build()) {
      warmUp(client, replicas);
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        callers.add(threads.submit(() -> {
          for (int i = 0; i < 1_000_000 && !done.get(); i++) {
            try {
              client.getExposedObject().call("hit");
              succeeded.incrementAndGet();
            } catch (RuntimeException e) {
              failed.incrementAndGet();
            }
          }
        }));
      }
      int atStop = gone.calls.get();
      Future<Long> stop = threads.submit(() -> {
        long started = System.nanoTime();
        stopping.stop();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      });

      // While the replica still serves (drain delay), the client sees NOT_SERVING and moves away:
      // wait until the others got 200 calls in a row without the stopping one getting any.
      int skippedAt = awaitSkipped(gone, replicas.subList(1, 3), 60);
      boolean stillServing = !stop.isDone();
      long stopMillis = stop.get(10, TimeUnit.SECONDS);
      int afterStop = succeeded.get();
      awaitCalls(succeeded, afterStop + 100);
      done.set(true);
      for (Future<?> caller : callers) {
        caller.get(10, TimeUnit.SECONDS);
      }

      System.out.printf("scale-out: %d calls ok, %d failed; stopped replica got %d calls while"
              + " draining (before the client saw NOT_SERVING), none after; it was still serving"
              + " when skipped: %s; stop() took %d ms; totals %s%n",
          succeeded.get(), failed.get(), skippedAt - atStop, stillServing, stopMillis,
          Arrays.toString(counts(replicas)));
      assertEquals(0, failed.get(), "failed calls");
      assertEquals(skippedAt, gone.calls.get(), "the stopped replica got calls after it was"
          + " skipped");
      assertTrue(stopMillis < DRAIN_DELAY.toMillis() + 3000, "stop() took " + stopMillis + " ms");
    }
  }

  /**
   * A client that sends its calls on a session (pinned to the replica it opened on) loses no call
   * when that replica stops with a drain delay: the calls the stopping replica refuses, which
   * never ran, are sent again on a new session, which lands on a replica that still serves.
   */
  @Test
  void aSessionOnAStoppedReplicaMovesWithoutFailedCalls() throws Exception {
    List<Replica> replicas = replicas(2, DRAIN_DELAY);
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger succeeded = new AtomicInteger();
    AtomicBoolean done = new AtomicBoolean();
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (IpcClient client = IpcClient.builder().target(staticTarget()).sessions(true).build()) {
      client.getExposedObject().call("hit");
      int pinned = replicas.get(0).calls.get() == 1 ? 0 : 1;
      Replica gone = replicas.get(pinned);
      Replica other = replicas.get(1 - pinned);
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        callers.add(threads.submit(() -> {
          for (int i = 0; i < 1_000_000 && !done.get(); i++) {
            try {
              client.getExposedObject().call("hit");
              succeeded.incrementAndGet();
            } catch (RuntimeException e) {
              failed.incrementAndGet();
              failures.add(e.toString());
            }
          }
        }));
      }
      awaitCalls(succeeded, 200);
      assertEquals(0, other.calls.get(), "one session, one replica");
      long stopMillis = threads.submit(() -> {
        long started = System.nanoTime();
        servers.get(pinned).stop();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      }).get(30, TimeUnit.SECONDS);
      int goneAtStop = gone.calls.get();
      int otherAtStop = other.calls.get();
      awaitCalls(succeeded, succeeded.get() + 200);
      done.set(true);
      for (Future<?> caller : callers) {
        caller.get(10, TimeUnit.SECONDS);
      }
      System.out.printf("scale-out with a session: %d calls ok, %d failed; stop() took %d ms;"
          + " the other replica got %d calls after the stop%n", succeeded.get(), failed.get(),
          stopMillis, other.calls.get() - otherAtStop);
      assertEquals(List.of(), failures, "failed calls");
      assertEquals(goneAtStop, gone.calls.get(), "the stopped replica ran calls after stop()");
      assertTrue(other.calls.get() - otherAtStop >= 200, "calls did not move: "
          + Arrays.toString(counts(replicas)));
    }
  }

  /**
   * Waits until {@code others} together answered {@code streak} calls while {@code gone} got
   * none; answers {@code gone}'s count then.
   */
  private static int awaitSkipped(Replica gone, List<Replica> others, int streak) {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    int last = gone.calls.get();
    int othersAtLast = sum(others);
    while (sum(others) - othersAtLast < streak) {
      assertTrue(System.nanoTime() < deadline, "the stopping replica was never skipped");
      int now = gone.calls.get();
      if (now != last) {
        last = now;
        othersAtLast = sum(others);
      }
      Thread.onSpinWait();
    }
    return last;
  }

  private static int sum(List<Replica> replicas) {
    return replicas.stream().mapToInt(r -> r.calls.get()).sum();
  }

  private static void awaitCalls(AtomicInteger succeeded, int target) {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (succeeded.get() < target) {
      assertTrue(System.nanoTime() < deadline, "callers stalled at " + succeeded.get());
      Thread.onSpinWait();
    }
  }

  @Test
  void replicaThatIsDownIsSkipped() throws Exception {
    List<Replica> replicas = replicas(3, Duration.ZERO);
    String target = staticTarget();
    servers.get(1).stop();
    try (IpcClient client = IpcClient.builder().target(target).build()) {
      for (int i = 0; i < CALLS; i++) {
        client.getExposedObject().call("hit");
      }
    }
    assertEquals(0, replicas.get(1).calls.get());
    assertEquals(CALLS, replicas.get(0).calls.get() + replicas.get(2).calls.get());
    assertTrue(replicas.get(0).calls.get() >= CALLS / 6, "replica 0 got too few calls");
    assertTrue(replicas.get(2).calls.get() >= CALLS / 6, "replica 2 got too few calls");
  }

  /** With sessions too: a session lives no longer than its connection may. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void connectionsOlderThanMaxAgeAreReplacedWithoutFailedCalls(boolean sessions)
      throws Exception {
    Set<SocketAddress> peers = ConcurrentHashMap.newKeySet();
    ServerInterceptor recordPeer = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        peers.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        return next.startCall(call, headers);
      }
    };
    Replica replica = new Replica(0);
    servers.add(IpcServer.builder().expose(replica).host("127.0.0.1").port(0)
        .maxConnectionAge(Duration.ofSeconds(1)).intercept(recordPeer).start());
    try (IpcClient client = IpcClient.builder()
        .target("dns:///127.0.0.1:" + servers.get(0).port()).sessions(sessions).build()) {
      long deadline = System.nanoTime() + DEADLINE_NANOS;
      // Every call succeeds while the server closes old connections (a second, ±10%).
      while (peers.size() < 3) {
        assertTrue(System.nanoTime() < deadline, "connections never replaced: " + peers);
        assertEquals(0L, client.getExposedObject().call("hit"));
      }
    }
  }

  @Test
  void dnsTargetIsHealthCheckedToo() throws Exception {
    List<Replica> replicas = replicas(1, Duration.ZERO);
    try (IpcClient client = IpcClient.builder()
        .target("dns:///localhost:" + servers.get(0).port()).build()) {
      assertEquals(0L, client.getExposedObject().call("hit"));
      assertTrue(client.serverAvailable());
    }
    assertEquals(1, replicas.get(0).calls.get());
  }

  @Test
  void replicasThatDoNotServeTheClientsObjectGetNoCalls() throws Exception {
    replicas(2, Duration.ZERO);
    try (IpcClient client = IpcClient.builder().target(staticTarget()).name("other")
        .deadline(Duration.ofSeconds(5)).build()) {
      IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject("kodi-IPC").call("hit"));
      assertTrue(e.getMessage().contains("Health-check service responded SERVICE_UNKNOWN for"
          + " 'other'"), e.getMessage());
    }
  }

  @Test
  void staticTargetsAreCheckedWhenSet() {
    assertEquals("target 'static:///a:1,b': 'b' is not host:port; expected"
            + " static:///host1:port1,host2:port2",
        assertThrows(IllegalArgumentException.class,
            () -> IpcClient.builder().target("static:///a:1,b")).getMessage());
    assertEquals("target 'static:///a:0': 'a:0' has no port 1-65535; expected"
            + " static:///host1:port1,host2:port2",
        assertThrows(IllegalArgumentException.class,
            () -> IpcClient.builder().target("static:///a:0")).getMessage());
    assertEquals("target 'static://a:1': no list after static:///; expected"
            + " static:///host1:port1,host2:port2",
        assertThrows(IllegalArgumentException.class,
            () -> IpcClient.builder().target("static://a:1")).getMessage());
  }
}
