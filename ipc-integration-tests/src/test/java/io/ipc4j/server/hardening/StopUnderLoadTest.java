package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcUnavailableException;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.server.IpcServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code stop()} under load: with 1,000 calls in flight each completes or gets UNAVAILABLE and
 * the object is closed exactly once, after the calls that ran; methods that never return do not
 * hold {@code stop()} beyond its grace period.
 */
class StopUnderLoadTest {
  private static final int CALLS = 1_000;
  private static final int SERVER_THREADS = 100;

  /** Blocks its callers until the test releases them; counts its close(). */
  public static final class Blocker implements AutoCloseable {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch busy;
    final AtomicInteger entered = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    volatile boolean closedBeforeRelease;

    Blocker(int threads) {
      this.busy = new CountDownLatch(threads);
    }

    public String hold() throws InterruptedException {
      entered.incrementAndGet();
      busy.countDown();
      return release.await(60, TimeUnit.SECONDS) ? "done" : "timed out";
    }

    /** Never returns while the test holds it, whatever interrupts it. */
    public String hang() {
      entered.incrementAndGet();
      busy.countDown();
      boolean interrupted = false;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (release.getCount() > 0 && System.nanoTime() < end) {
        try {
          release.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return "finally";
    }

    @Override
    public void close() {
      closedBeforeRelease = release.getCount() > 0;
      closed.incrementAndGet();
    }
  }

  /** The status of each of many asynchronous calls. */
  private static final class Answers {
    final Map<Status.Code, AtomicInteger> codes = new ConcurrentHashMap<>();
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch done;

    Answers(int calls) {
      this.done = new CountDownLatch(calls);
    }

    StreamObserver<InvokeResponse> observer(String expected) {
      return new StreamObserver<>() {
        @Override
        public void onNext(InvokeResponse response) {
          if (!response.getValue().getStringValue().equals(expected)) {
            problems.add("answered " + response);
          }
        }

        @Override
        public void onError(Throwable t) {
          Status status = Status.fromThrowable(t);
          codes.computeIfAbsent(status.getCode(), c -> new AtomicInteger()).incrementAndGet();
          if (status.getCode() != Status.Code.UNAVAILABLE && problems.size() < 10) {
            problems.add(status.toString());
          }
          done.countDown();
        }

        @Override
        public void onCompleted() {
          codes.computeIfAbsent(Status.Code.OK, c -> new AtomicInteger()).incrementAndGet();
          done.countDown();
        }
      };
    }

    Map<Status.Code, Integer> counts() {
      Map<Status.Code, Integer> counts = new EnumMap<>(Status.Code.class);
      codes.forEach((k, v) -> counts.put(k, v.get()));
      return counts;
    }
  }

  private static final InvokeRequest HOLD = InvokeRequest.newBuilder().setObject("blocker")
      .setMethod("hold").setArgs(ListValue.getDefaultInstance()).build();

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @ParameterizedTest
  @EnumSource(Net.class)
  void withAThousandCallsInFlightEachCompletesAndNewCallsAreUnavailable(Net net)
      throws Exception {
    int late = 100;
    // Threads for every call and some to spare, so that health checks are answered; one
    // connection carries all the calls, the late ones and the health checks.
    Blocker blocker = new Blocker(CALLS);
    Net.Served served = net.start(IpcServer.builder().expose("blocker", blocker)
        .maxThreads(CALLS + 50).maxConcurrentCallsPerConnection(2 * CALLS)
        .gracePeriod(Duration.ofSeconds(60)));
    ManagedChannel channel = served.channel();
    try {
      Answers answers = new Answers(CALLS);
      InvokeServiceGrpc.InvokeServiceStub stub = InvokeServiceGrpc.newStub(channel);
      for (int i = 0; i < CALLS; i++) {
        stub.withDeadlineAfter(120, TimeUnit.SECONDS).invoke(HOLD, answers.observer("done"));
      }
      assertTrue(blocker.busy.await(60, TimeUnit.SECONDS), "calls in flight: "
          + blocker.entered.get());
      long start = System.nanoTime();
      Future<?> stopping = threads.submit(served.server()::stop);
      awaitNotServing(channel);
      Answers refused = new Answers(late);
      for (int i = 0; i < late; i++) {
        stub.withDeadlineAfter(30, TimeUnit.SECONDS).invoke(HOLD, refused.observer("done"));
      }
      assertTrue(refused.done.await(30, TimeUnit.SECONDS), "new calls not refused");
      assertFalse(stopping.isDone(), "stop() returned with calls in flight");
      assertEquals(0, blocker.closed.get(), "closed with calls in flight");

      blocker.release.countDown();
      assertTrue(answers.done.await(120, TimeUnit.SECONDS), "calls left unanswered: "
          + answers.done.getCount());
      stopping.get(60, TimeUnit.SECONDS);
      long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      System.out.println("FAULT-STOP " + net + " inFlight=" + CALLS + " entered="
          + blocker.entered.get() + " answers=" + answers.counts() + " late=" + late
          + " lateAnswers=" + refused.counts() + " stopMillis=" + stopMillis);
      assertEquals(List.of(), answers.problems);
      assertEquals(Map.of(Status.Code.OK, CALLS), answers.counts());
      assertEquals(Map.of(Status.Code.UNAVAILABLE, late), refused.counts());
      assertEquals(CALLS, blocker.entered.get());
      assertEquals(1, blocker.closed.get());
      assertFalse(blocker.closedBeforeRelease, "closed before the calls in flight finished");
    } finally {
      blocker.release.countDown();
      served.close();
      Net.shutdown(channel);
      threads.shutdownNow();
      assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void withAThousandCallsQueuedBehindTheThreadsEachCompletesOrIsUnavailable(Net net)
      throws Exception {
    Blocker blocker = new Blocker(SERVER_THREADS);
    Net.Served served = net.start(IpcServer.builder().expose("blocker", blocker)
        .maxThreads(SERVER_THREADS).maxQueuedCalls(CALLS).gracePeriod(Duration.ofSeconds(60)));
    ManagedChannel channel = served.channel();
    try {
      Answers answers = new Answers(CALLS);
      InvokeServiceGrpc.InvokeServiceStub stub = InvokeServiceGrpc.newStub(channel);
      for (int i = 0; i < CALLS; i++) {
        stub.withDeadlineAfter(120, TimeUnit.SECONDS).invoke(HOLD, answers.observer("done"));
      }
      assertTrue(blocker.busy.await(60, TimeUnit.SECONDS), "the server's threads never filled");
      long start = System.nanoTime();
      Future<?> stopping = threads.submit(served.server()::stop);
      // Health waits behind the queued calls too, so watch the server itself.
      awaitStopping(served.server());
      assertEquals(0, blocker.closed.get(), "closed with calls in flight");

      blocker.release.countDown();
      assertTrue(answers.done.await(120, TimeUnit.SECONDS), "calls left unanswered: "
          + answers.done.getCount());
      stopping.get(60, TimeUnit.SECONDS);
      long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      Map<Status.Code, Integer> counts = answers.counts();
      System.out.println("FAULT-STOP-QUEUED " + net + " calls=" + CALLS + " threads="
          + SERVER_THREADS + " entered=" + blocker.entered.get() + " answers=" + counts
          + " stopMillis=" + stopMillis);
      assertEquals(List.of(), answers.problems);
      assertTrue(Set.of(Status.Code.OK, Status.Code.UNAVAILABLE).containsAll(counts.keySet()),
          counts.toString());
      assertEquals(CALLS, counts.values().stream().mapToInt(Integer::intValue).sum());
      assertEquals(blocker.entered.get(), counts.getOrDefault(Status.Code.OK, 0),
          "every call that reached the method completes");
      assertTrue(blocker.entered.get() >= SERVER_THREADS);
      assertEquals(1, blocker.closed.get());
      assertFalse(blocker.closedBeforeRelease, "closed before the calls in flight finished");
    } finally {
      blocker.release.countDown();
      served.close();
      Net.shutdown(channel);
      threads.shutdownNow();
      assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void methodsThatNeverReturnDoNotHoldStopBeyondTheGracePeriod(Net net) throws Exception {
    int hung = 20;
    Duration grace = Duration.ofMillis(300);
    Blocker blocker = new Blocker(hung);
    Net.Served served = net.start(IpcServer.builder().expose("blocker", blocker)
        .maxThreads(hung).gracePeriod(grace));
    ManagedChannel channel = served.channel();
    try {
      Answers answers = new Answers(hung);
      InvokeRequest hang = InvokeRequest.newBuilder().setObject("blocker").setMethod("hang")
          .setArgs(ListValue.getDefaultInstance()).build();
      for (int i = 0; i < hung; i++) {
        InvokeServiceGrpc.newStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS)
            .invoke(hang, answers.observer("finally"));
      }
      assertTrue(blocker.busy.await(60, TimeUnit.SECONDS));
      long start = System.nanoTime();
      served.server().stop();
      long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(answers.done.await(10, TimeUnit.SECONDS), "calls left hanging after stop(): "
          + answers.done.getCount());
      long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      System.out.println("FAULT-HANG " + net + " hung=" + hung + " graceMillis="
          + grace.toMillis() + " stopMillis=" + stopMillis + " answers=" + answers.counts()
          + " allAnsweredMillis=" + answeredMillis);
      assertTrue(stopMillis >= grace.toMillis(), "stop() did not wait the grace period: "
          + stopMillis + " ms");
      assertTrue(stopMillis < grace.toMillis() + 5_000, "stop() took " + stopMillis + " ms");
      assertEquals(hung, answers.counts().values().stream().mapToInt(Integer::intValue).sum());
      assertTrue(Set.of(Status.Code.UNAVAILABLE, Status.Code.CANCELLED)
          .containsAll(answers.counts().keySet()), answers.counts().toString());
      assertEquals(1, blocker.closed.get());
      assertTrue(blocker.closedBeforeRelease, "the hung calls were still running at close()");
    } finally {
      blocker.release.countDown();
      Net.shutdown(channel);
      threads.shutdownNow();
      assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void callsCutOffWhenTheGracePeriodEndsAreUnavailable(Net net) throws Exception {
    Blocker blocker = new Blocker(1);
    Net.Served served = net.start(IpcServer.builder().expose("blocker", blocker)
        .gracePeriod(Duration.ofMillis(100)));
    try (IpcClient client = served.client().name("blocker").build()) {
      Future<IpcException> call = threads.submit(() -> {
        try {
          client.getExposedObject().call("hang");
          return null;
        } catch (IpcException e) {
          return e;
        }
      });
      assertTrue(blocker.busy.await(10, TimeUnit.SECONDS));
      served.server().stop();
      IpcException e = call.get(10, TimeUnit.SECONDS);
      // A stopping server answers UNAVAILABLE, which clients retry elsewhere; CANCELLED is not.
      assertEquals(IpcUnavailableException.class, e.getClass(), String.valueOf(e));
    } finally {
      blocker.release.countDown();
      threads.shutdownNow();
      assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  /** Waits (bounded) until {@code stop()} has begun. */
  static void awaitStopping(IpcServer server) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (server.isRunning()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("stop() never began");
      }
      Thread.onSpinWait();
    }
  }

  /** Waits (bounded) until the server's health says NOT_SERVING. */
  static void awaitNotServing(ManagedChannel channel) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      ServingStatus status = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus();
      if (status == ServingStatus.NOT_SERVING) {
        return;
      }
    }
    throw new AssertionError("health never turned NOT_SERVING");
  }
}
