package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.ipc4j.core.internal.WireHeaders;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bounds on what clients make the server hold: calls waiting for a thread (count and bytes),
 * oneway calls per connection and in total, and health watches and service names. Each bound
 * refuses at once with a message naming the option, and what was held is given back.
 */
class ServerLimitsTest {
  private static final long WAIT_SECONDS = 10;

  /** A method that holds its thread until the test lets it go. */
  public static final class Gate {
    final Semaphore running = new Semaphore(0);
    final CountDownLatch release = new CountDownLatch(1);

    public String block(String data) throws InterruptedException {
      running.release();
      release.await();
      return "done " + data.length();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void callsBeyondTheQueueBoundAreRefusedWhileHealthStillAnswers(Transport transport)
      throws Exception {
    Gate gate = new Gate();
    try (Transport.Served served = transport.start(IpcServer.builder().expose("gate", gate)
        .maxThreads(1).maxQueuedCalls(2))) {
      ManagedChannel channel = served.channel();
      try {
        ListenableFuture<InvokeResponse> first = async(channel).invoke(block("a"));
        assertTrue(gate.running.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS));
        ListenableFuture<InvokeResponse> second = async(channel).invoke(block("bb"));
        ListenableFuture<InvokeResponse> third = async(channel).invoke(block("ccc"));

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
            () -> blocking(channel).invoke(block("dddd")));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
        assertEquals("server busy: 2 calls queued for a thread (maxQueuedCalls 2, maxThreads 1);"
            + " try again later", refused.getStatus().getDescription());
        assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS)
            .check(HealthCheckRequest.newBuilder().setService("gate").build()).getStatus());

        gate.release.countDown();
        assertEquals("done 1", text(first.get(WAIT_SECONDS, TimeUnit.SECONDS)));
        assertEquals("done 2", text(second.get(WAIT_SECONDS, TimeUnit.SECONDS)));
        assertEquals("done 3", text(third.get(WAIT_SECONDS, TimeUnit.SECONDS)));
        assertEquals("done 4", text(blocking(channel).invoke(block("dddd"))));
      } finally {
        gate.release.countDown();
        Transport.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void queuedCallsHoldNoMoreBytesThanAllowed(Transport transport) throws Exception {
    Gate gate = new Gate();
    String big = "x".repeat(600);
    InvokeRequest request = block(big);
    int size = request.getSerializedSize();
    try (Transport.Served served = transport.start(IpcServer.builder().expose("gate", gate)
        .maxThreads(1).maxQueuedCalls(100).maxQueuedBytes(1000))) {
      ManagedChannel channel = served.channel();
      try {
        ListenableFuture<InvokeResponse> first = async(channel).invoke(block("a"));
        assertTrue(gate.running.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS));
        ListenableFuture<InvokeResponse> queued = async(channel).invoke(request);

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
            () -> blocking(channel).invoke(request));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
        assertEquals("server busy: the queued calls hold " + size + " bytes of requests, this "
            + size + " more would pass maxQueuedBytes 1000; try again later",
            refused.getStatus().getDescription());

        gate.release.countDown();
        assertEquals("done 1", text(first.get(WAIT_SECONDS, TimeUnit.SECONDS)));
        assertEquals("done 600", text(queued.get(WAIT_SECONDS, TimeUnit.SECONDS)));
        assertEquals("done 600", text(blocking(channel).invoke(request)));
      } finally {
        gate.release.countDown();
        Transport.shutdown(channel);
      }
    }
  }

  @Test
  void aCallLargerThanTheByteBoundStillWaitsAlone() throws Exception {
    CallExecutor pool = new CallExecutor(1, 10, 100, Duration.ofSeconds(30), r -> {
      Thread t = new Thread(r, "server-limits-test");
      t.setDaemon(true);
      return t;
    });
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch ran = new CountDownLatch(2);
    try {
      pool.executeCall(() -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ran.countDown();
      }, 10);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (pool.queuedCalls() != 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      pool.executeCall(ran::countDown, 5000);
      assertEquals(1, pool.queuedCalls());
      assertEquals(5000, pool.queuedBytes());
      CallExecutor.Busy busy = assertThrows(CallExecutor.Busy.class,
          () -> pool.executeCall(() -> { }, 1));
      assertEquals("server busy: the queued calls hold 5000 bytes of requests, this 1 more would"
          + " pass maxQueuedBytes 100; try again later", busy.getMessage());
      release.countDown();
      assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS));
      assertEquals(0, pool.queuedCalls());
      assertEquals(0, pool.queuedBytes());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void onewayCallsAreBoundedPerConnectionAndInTotal(Transport transport) throws Exception {
    Gate gate = new Gate();
    Logger log = Logger.getLogger(InvokeService.class.getName());
    Records records = new Records();
    log.addHandler(records);
    try (Transport.Served served = transport.start(IpcServer.builder().expose("gate", gate)
        .maxThreads(1).maxOnewayCalls(2, 3))) {
      ManagedChannel a = served.channel();
      ManagedChannel b = served.channel();
      try {
        ListenableFuture<InvokeResponse> a1 = oneway(a).invoke(block("a"));
        assertTrue(gate.running.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS));
        ListenableFuture<InvokeResponse> a2 = oneway(a).invoke(block("aa"));
        StatusRuntimeException perConnection = assertThrows(StatusRuntimeException.class,
            () -> onewayBlocking(a).invoke(block("aaa")));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, perConnection.getStatus().getCode());
        String perConnectionText = "too many oneway calls on this connection: 2 (maxOnewayCalls"
            + " per connection); try again later";
        assertEquals(perConnectionText, perConnection.getStatus().getDescription());

        // Connected first: calls made while a channel connects may reach the server in any order.
        assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(b)
            .check(HealthCheckRequest.getDefaultInstance()).getStatus());
        ListenableFuture<InvokeResponse> b1 = oneway(b).invoke(block("b"));
        StatusRuntimeException total = assertThrows(StatusRuntimeException.class,
            () -> onewayBlocking(b).invoke(block("bb")));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, total.getStatus().getCode());
        assertEquals("too many oneway calls on this server: 3 (maxOnewayCalls in total); try"
            + " again later", total.getStatus().getDescription());
        LogRecord warning = records.first(Level.WARNING);
        assertTrue(warning.getMessage().startsWith("refused oneway call gate.block from "),
            warning.getMessage());
        assertTrue(warning.getMessage().endsWith(": " + perConnectionText),
            warning.getMessage());

        gate.release.countDown();
        assertEquals("done 1", text(a1.get(WAIT_SECONDS, TimeUnit.SECONDS)));
        assertEquals("done 2", text(a2.get(WAIT_SECONDS, TimeUnit.SECONDS)));
        assertEquals("done 1", text(b1.get(WAIT_SECONDS, TimeUnit.SECONDS)));
        assertEquals("done 3", text(onewayBlocking(a).invoke(block("aaa")))); // given back
      } finally {
        gate.release.countDown();
        log.removeHandler(records);
        Transport.shutdown(a);
        Transport.shutdown(b);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void healthRefusesLongServiceNamesBeforeStoringThem(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(IpcServer.builder().expose("gate", new Gate())
        .token("secret"))) {
      ManagedChannel channel = served.channel();
      try {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS);
        String tooLong = "s".repeat(1025);
        StatusRuntimeException check = assertThrows(StatusRuntimeException.class,
            () -> health.check(service(tooLong)));
        assertEquals(Status.Code.INVALID_ARGUMENT, check.getStatus().getCode());
        assertEquals("health service name of 1025 characters; at most 1024 are accepted",
            check.getStatus().getDescription());
        StatusRuntimeException watch = assertThrows(StatusRuntimeException.class,
            () -> health.watch(service(tooLong)).hasNext());
        assertEquals(Status.Code.INVALID_ARGUMENT, watch.getStatus().getCode());
        StatusRuntimeException longest = assertThrows(StatusRuntimeException.class,
            () -> health.check(service("s".repeat(1024))));
        assertEquals(Status.Code.NOT_FOUND, longest.getStatus().getCode()); // asked, not served
        assertEquals(ServingStatus.SERVING, health.check(service("gate")).getStatus());
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void healthWatchesAreBoundedPerConnectionAndInTotal(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(IpcServer.builder().expose("gate", new Gate())
        .token("secret").maxHealthWatches(2, 3))) {
      ManagedChannel a = served.channel();
      ManagedChannel b = served.channel();
      List<Watch> open = new ArrayList<>();
      try {
        open.add(Watch.start(a, "gate"));
        open.add(Watch.start(a, "unknown"));
        for (Watch w : open) {
          assertEquals("OK " + (w.service.equals("gate") ? "SERVING" : "SERVICE_UNKNOWN"),
              w.next());
        }
        assertEquals("RESOURCE_EXHAUSTED too many health watches on this connection: 2"
            + " (maxHealthWatches per connection); try again later", Watch.start(a, "x").next());
        Watch third = Watch.start(b, "gate");
        assertEquals("OK SERVING", third.next());
        open.add(third);
        assertEquals("RESOURCE_EXHAUSTED too many health watches on this server: 3"
            + " (maxHealthWatches in total); try again later", Watch.start(b, "y").next());

        open.get(0).cancel(); // gives its share back once the server hears of it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        String answer;
        do {
          Watch again = Watch.start(b, "gate");
          answer = again.next();
          open.add(again);
        } while (!answer.equals("OK SERVING") && System.nanoTime() < deadline);
        assertEquals("OK SERVING", answer);
      } finally {
        open.forEach(Watch::cancel);
        Transport.shutdown(a);
        Transport.shutdown(b);
      }
    }
  }

  /** A health Watch call whose first answer, or error, a test awaits. */
  private static final class Watch implements ClientResponseObserver<HealthCheckRequest,
      HealthCheckResponse> {
    final String service;
    final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    volatile ClientCallStreamObserver<HealthCheckRequest> call;

    private Watch(String service) {
      this.service = service;
    }

    static Watch start(ManagedChannel channel, String service) {
      Watch w = new Watch(service);
      HealthGrpc.newStub(channel).watch(service(service), w);
      return w;
    }

    /** {@code OK STATUS} for a response, {@code CODE description} for an error. */
    String next() throws InterruptedException {
      String answer = answers.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      return answer == null ? "nothing within " + WAIT_SECONDS + " s" : answer;
    }

    void cancel() {
      call.cancel("done", null);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<HealthCheckRequest> requestStream) {
      call = requestStream;
    }

    @Override
    public void onNext(HealthCheckResponse value) {
      answers.add("OK " + value.getStatus());
    }

    @Override
    public void onError(Throwable t) {
      Status s = Status.fromThrowable(t);
      answers.add(s.getCode() + " " + s.getDescription());
    }

    @Override
    public void onCompleted() {
      answers.add("completed");
    }
  }

  /** The log records a logger publishes. */
  private static final class Records extends Handler {
    final BlockingQueue<LogRecord> records = new LinkedBlockingQueue<>();

    @Override
    public void publish(LogRecord r) {
      records.add(r);
    }

    LogRecord first(Level level) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (System.nanoTime() < deadline) {
        LogRecord r = records.poll(100, TimeUnit.MILLISECONDS);
        if (r != null && r.getLevel().equals(level)) {
          return r;
        }
      }
      throw new AssertionError("no " + level + " record within " + WAIT_SECONDS + " s");
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static HealthCheckRequest service(String name) {
    return HealthCheckRequest.newBuilder().setService(name).build();
  }

  private static InvokeRequest block(String data) {
    return InvokeRequest.newBuilder().setObject("gate").setMethod("block")
        .setArgs(ListValue.newBuilder().addValues(Value.newBuilder().setStringValue(data)))
        .build();
  }

  private static String text(InvokeResponse response) {
    return response.getValue().getStringValue();
  }

  private static InvokeServiceGrpc.InvokeServiceFutureStub async(ManagedChannel channel) {
    return InvokeServiceGrpc.newFutureStub(channel)
        .withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static InvokeServiceGrpc.InvokeServiceBlockingStub blocking(ManagedChannel channel) {
    return InvokeServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static Metadata onewayHeader() {
    Metadata headers = new Metadata();
    headers.put(WireHeaders.ONEWAY, "1");
    return headers;
  }

  private static InvokeServiceGrpc.InvokeServiceFutureStub oneway(ManagedChannel channel) {
    return async(channel).withInterceptors(
        MetadataUtils.newAttachHeadersInterceptor(onewayHeader()));
  }

  private static InvokeServiceGrpc.InvokeServiceBlockingStub onewayBlocking(
      ManagedChannel channel) {
    return blocking(channel).withInterceptors(
        MetadataUtils.newAttachHeadersInterceptor(onewayHeader()));
  }
}
