package io.ipc4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.ipc4j.bench.proto.v1.Answer;
import io.ipc4j.bench.proto.v1.BenchStreamServiceGrpc;
import io.ipc4j.bench.proto.v1.Call;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Typed gRPC over one stream: many threads' calls on it, each answered with its own answer. */
class GrpcStreamSystemTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(value = Contender.class, names = {"GRPC_STREAM", "GRPC_STREAM_POOL"})
  void manyThreadsShareTheStreamAndGetTheirOwnAnswers(Contender contender) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(16);
    try (BenchServer server = BenchServer.start(contender, dir);
        Endpoint endpoint = Endpoint.connect(contender, server.address())) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        Scenario s = t % 2 == 0 ? Scenario.ADD : Scenario.ECHO_1K;
        Caller caller = new Caller(contender, endpoint, s, t);
        done.add(threads.submit(() -> {
          for (int i = 0; i < 200; i++) {
            caller.call(); // throws when an answer is another thread's or wrong
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Contender.class, names = {"GRPC_STREAM", "GRPC_STREAM_POOL"})
  void aCallThatIsNeitherAddNorEchoEndsTheStream(Contender contender) throws Exception {
    try (BenchServer server = BenchServer.start(contender, dir)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress(GrpcSystem.LOOPBACK,
          Integer.parseInt(server.address()), InsecureChannelCredentials.create()).build();
      try {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<Call> calls = BenchStreamServiceGrpc.newStub(channel).calls(
            new StreamObserver<>() {
              @Override
              public void onNext(Answer answer) {
                ended.completeExceptionally(new AssertionError("answered " + answer));
              }

              @Override
              public void onError(Throwable t) {
                ended.complete(t);
              }

              @Override
              public void onCompleted() {
                ended.completeExceptionally(new AssertionError("completed"));
              }
            });
        calls.onNext(Call.newBuilder().setId(7).build());
        Status status = Status.fromThrowable(ended.get(30, TimeUnit.SECONDS));
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
        assertEquals("call 7 is neither add nor echo", status.getDescription());
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void callsFailOnceTheServerIsGone() throws Exception {
    BenchServer server = BenchServer.start(Contender.GRPC_STREAM_POOL, dir);
    try (Endpoint endpoint = Endpoint.connect(Contender.GRPC_STREAM_POOL, server.address())) {
      assertEquals(3, endpoint.add(1, 2));
      server.close(); // the stream never ends by itself: cancelled after the 5 s grace period
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> endpoint.add(1, 2));
      assertEquals("the stream failed: io.grpc.StatusRuntimeException: CANCELLED: RST_STREAM"
          + " closed stream. HTTP/2 error code: CANCEL", e.getMessage());
      assertEquals("the stream failed: io.grpc.StatusRuntimeException: CANCELLED: RST_STREAM"
          + " closed stream. HTTP/2 error code: CANCEL",
          assertThrows(IllegalStateException.class, () -> endpoint.echo(new byte[1]))
              .getMessage(), "every later call fails alike");
    }
  }
}
