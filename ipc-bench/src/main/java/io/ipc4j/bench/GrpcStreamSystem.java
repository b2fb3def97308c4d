package io.ipc4j.bench;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.ipc4j.bench.proto.v1.AddRequest;
import io.ipc4j.bench.proto.v1.Answer;
import io.ipc4j.bench.proto.v1.BenchStreamServiceGrpc;
import io.ipc4j.bench.proto.v1.Call;
import io.ipc4j.bench.proto.v1.EchoRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Typed gRPC over one long-lived bidirectional stream per client JVM ({@link GrpcStreamService}):
 * the client's threads send their calls as messages with ids on that stream and wait for the
 * answer with their id, as ipc4j's sessions do. Server and client are built with {@code
 * directExecutor()}, so that nothing but the pool, when there is one, hands a call to another
 * thread; grpc-java's default message size limit (4 MiB) holds, as for {@link GrpcSystem}.
 */
final class GrpcStreamSystem {
  /** The threads of the pool that answers calls in {@code grpc-stream-pool}. */
  static final int POOL_THREADS = 16;

  private GrpcStreamSystem() {}

  /** Serves the stream, answering on the transport thread, or on a pool of 16 when pooled. */
  static BenchServer serve(boolean pooled) throws IOException {
    ExecutorService pool = pooled ? Executors.newFixedThreadPool(POOL_THREADS, poolThreads())
        : null;
    Server server = NettyServerBuilder.forAddress(
            new InetSocketAddress(GrpcSystem.LOOPBACK, 0), InsecureServerCredentials.create())
        .directExecutor()
        .addService(new GrpcStreamService(pool))
        .build()
        .start();
    return new BenchServer(String.valueOf(server.getPort()), () -> {
      try {
        GrpcSystem.stop(server);
      } finally {
        if (pool != null) {
          pool.shutdownNow();
        }
      }
    });
  }

  private static ThreadFactory poolThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "bench-stream-pool-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A client whose threads share one stream. */
  static Endpoint connect(int port) {
    ManagedChannel channel = NettyChannelBuilder
        .forAddress(GrpcSystem.LOOPBACK, port, InsecureChannelCredentials.create())
        .directExecutor()
        .build();
    return new StreamClient(channel);
  }

  /**
   * The client's end of the stream: a call waits on a future kept under its id until the answer
   * with that id arrives; a failed or ended stream fails every call waiting and every later one.
   */
  private static final class StreamClient implements Endpoint, StreamObserver<Answer> {
    private final ManagedChannel channel;
    private final Map<Long, CompletableFuture<Answer>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final StreamObserver<Call> calls; // guarded by itself: one writer at a time
    private volatile RuntimeException broken;

    StreamClient(ManagedChannel channel) {
      this.channel = channel;
      this.calls = BenchStreamServiceGrpc.newStub(channel).calls(this);
    }

    @Override
    public int add(int a, int b) throws Exception {
      Answer answer = call(Call.newBuilder().setAdd(AddRequest.newBuilder().setA(a).setB(b)));
      if (!answer.hasAdd()) {
        throw new IllegalStateException("add call " + answer.getId() + " got an answer of "
            + answer.getAnswerCase());
      }
      return answer.getAdd().getSum();
    }

    @Override
    public byte[] echo(byte[] data) throws Exception {
      Answer answer = call(Call.newBuilder().setEcho(
          EchoRequest.newBuilder().setData(UnsafeByteOperations.unsafeWrap(data))));
      if (!answer.hasEcho()) {
        throw new IllegalStateException("echo call " + answer.getId() + " got an answer of "
            + answer.getAnswerCase());
      }
      return answer.getEcho().getData().toByteArray();
    }

    private Answer call(Call.Builder call) throws Exception {
      long id = ids.incrementAndGet();
      CompletableFuture<Answer> answer = new CompletableFuture<>();
      waiting.put(id, answer);
      RuntimeException failure = broken; // read after put: see fail()
      if (failure != null) {
        waiting.remove(id);
        throw failure;
      }
      synchronized (calls) {
        calls.onNext(call.setId(id).build());
      }
      try {
        return answer.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    }

    @Override
    public void onNext(Answer answer) {
      CompletableFuture<Answer> waiter = waiting.remove(answer.getId());
      if (waiter != null) {
        waiter.complete(answer);
      }
    }

    @Override
    public void onError(Throwable t) {
      fail(new IllegalStateException("the stream failed: " + t, t));
    }

    @Override
    public void onCompleted() {
      fail(new IllegalStateException("the server ended the stream"));
    }

    /** Set before the waiting calls are failed, so that a call added meanwhile sees it. */
    private void fail(RuntimeException failure) {
      broken = failure;
      for (Long id : waiting.keySet()) {
        CompletableFuture<Answer> waiter = waiting.remove(id);
        if (waiter != null) {
          waiter.completeExceptionally(failure);
        }
      }
    }

    @Override
    public void close() {
      synchronized (calls) {
        if (broken == null) {
          calls.onCompleted();
        }
      }
      channel.shutdown();
      try {
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
