package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.server.IpcServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Measures the heap a burst of large calls to a blocking method holds while they wait: 400 calls
 * of about 4 MB each, as the bound on queued bytes leaves it and as an unbounded queue did. Runs
 * only with {@code -Dipc4j.measure=true} (and a heap to match, {@code -DargLine=-Xmx3g}).
 */
class QueueMemoryMeasure {
  private static final int CALLS = 400;
  private static final int SIZE = 4_000_000;

  /** Holds every thread until the measurement is done. */
  public static final class Slow {
    final CountDownLatch release = new CountDownLatch(1);

    public int take(String data) throws InterruptedException {
      release.await();
      return data.length();
    }
  }

  @Test
  void bounded() throws Exception {
    measure("bounded (defaults)", IpcServer.builder());
  }

  @Test
  void unbounded() throws Exception {
    measure("unbounded", IpcServer.builder().maxQueuedCalls(Integer.MAX_VALUE)
        .maxQueuedBytes(Long.MAX_VALUE));
  }

  private static void measure(String label, IpcServer.Builder builder) throws Exception {
    assumeTrue(Boolean.getBoolean("ipc4j.measure"), "set -Dipc4j.measure=true");
    Slow slow = new Slow();
    AtomicInteger received = new AtomicInteger();
    ServerInterceptor counter = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
          @Override
          public void onHalfClose() {
            received.incrementAndGet();
            super.onHalfClose();
          }
        };
      }
    };
    long before = usedHeap();
    IpcServer server = builder.expose("slow", slow).host("127.0.0.1").port(0).maxThreads(16)
        .intercept(counter).start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
        .usePlaintext().build();
    Map<Status.Code, AtomicInteger> answers = new ConcurrentHashMap<>();
    try {
      InvokeRequest request = InvokeRequest.newBuilder().setObject("slow").setMethod("take")
          .setArgs(ListValue.newBuilder().addValues(Value.newBuilder()
              .setStringValue("x".repeat(SIZE)))).build();
      InvokeServiceGrpc.InvokeServiceStub stub = InvokeServiceGrpc.newStub(channel);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (int i = 0; i < CALLS; i++) {
        // A few requests on the wire at a time, so that the client's buffers stay small.
        while (i - received.get() >= 8 && System.nanoTime() < deadline) {
          TimeUnit.MILLISECONDS.sleep(1);
        }
        stub.withDeadlineAfter(120, TimeUnit.SECONDS).invoke(request, new StreamObserver<>() {
          @Override
          public void onNext(InvokeResponse value) {}

          @Override
          public void onError(Throwable t) {
            answers.computeIfAbsent(Status.fromThrowable(t).getCode(), c -> new AtomicInteger())
                .incrementAndGet();
          }

          @Override
          public void onCompleted() {
            answers.computeIfAbsent(Status.Code.OK, c -> new AtomicInteger()).incrementAndGet();
          }
        });
      }
      request = null;
      while (received.get() < CALLS
          && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
      long held = usedHeap() - before;
      System.out.println("QUEUE-MEMORY " + label + ": " + received.get() + " calls of " + SIZE
          + " chars received, heap held " + held / (1024 * 1024) + " MiB, answers so far "
          + answers);
    } finally {
      slow.release.countDown();
      server.stop();
      channel.shutdownNow();
    }
  }

  private static long usedHeap() throws InterruptedException {
    Runtime r = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return r.totalMemory() - r.freeMemory();
  }
}
