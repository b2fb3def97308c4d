package io.ipc4j.bench;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.ipc4j.bench.proto.v1.AddRequest;
import io.ipc4j.bench.proto.v1.BenchServiceGrpc;
import io.ipc4j.bench.proto.v1.EchoRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The hand-written typed gRPC service with grpc-java's default settings: Netty on both sides, the
 * server's default executor, a blocking stub without deadline on one shared channel. The client
 * takes and returns {@code byte[]} like the other contenders: it wraps what it sends without a
 * copy (as ipc4j's client does) and copies the answer out of its {@code ByteString}.
 */
final class GrpcSystem {
  /** The address every benchmark server binds and every client calls. */
  static final String LOOPBACK = "127.0.0.1";
  /** The deadline ipc4j's client puts on every call unless told otherwise. */
  static final Duration IPC4J_DEADLINE = Duration.ofSeconds(30);

  private GrpcSystem() {}

  static BenchServer serve() throws IOException {
    Server server = NettyServerBuilder.forAddress(
            new InetSocketAddress(LOOPBACK, 0), InsecureServerCredentials.create())
        .addService(new GrpcBenchService())
        .build()
        .start();
    return new BenchServer(String.valueOf(server.getPort()), () -> stop(server));
  }

  /** Stops {@code server}, giving its calls up to 5 s before it ends them. */
  static void stop(Server server) {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** A client without deadline (grpc-java's default), or with {@code deadline} on each call. */
  static Endpoint connect(int port, Duration deadline) {
    ManagedChannel channel = NettyChannelBuilder
        .forAddress(LOOPBACK, port, InsecureChannelCredentials.create())
        .build();
    BenchServiceGrpc.BenchServiceBlockingStub plain = BenchServiceGrpc.newBlockingStub(channel);
    Supplier<BenchServiceGrpc.BenchServiceBlockingStub> stub = deadline == null ? () -> plain
        : () -> plain.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    return new Endpoint() {
      @Override
      public int add(int a, int b) {
        return stub.get().add(AddRequest.newBuilder().setA(a).setB(b).build()).getSum();
      }

      @Override
      public byte[] echo(byte[] data) {
        return stub.get().echo(EchoRequest.newBuilder()
            .setData(UnsafeByteOperations.unsafeWrap(data)).build()).getData().toByteArray();
      }

      @Override
      public void close() {
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
    };
  }
}
