package io.ipc4j.bench.jmh;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.ipc4j.bench.Bench;
import io.ipc4j.bench.BenchObject;
import io.ipc4j.bench.GrpcBenchService;
import io.ipc4j.bench.proto.v1.AddReply;
import io.ipc4j.bench.proto.v1.AddRequest;
import io.ipc4j.bench.proto.v1.BenchServiceGrpc;
import io.ipc4j.bench.proto.v1.EchoRequest;
import io.ipc4j.client.IpcClient;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.core.internal.Serializers;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.Payload;
import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Whole calls over grpc's in-process transport, no network: {@code invoke*} sends a prepared
 * InvokeRequest straight to the server's InvokeService (dispatch: executor hop, argument
 * decoding, method lookup, reflective call, result encoding); {@code proxy*} makes the same call
 * through the typed proxy, so the difference is the client's proxy overhead (proxy dispatch,
 * argument encoding, request building, deadline, result decoding); {@code typed*} is the
 * hand-written typed gRPC service on the same transport.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallBenchmark {
  private static final byte[] PAYLOAD_1K = new byte[1024];
  private static final byte[] PAYLOAD_1M = new byte[1024 * 1024];

  static {
    new Random(1).nextBytes(PAYLOAD_1K);
    new Random(2).nextBytes(PAYLOAD_1M);
  }

  /** An ipc4j server and client on an in-process channel. */
  @State(Scope.Benchmark)
  public static class Ipc4j {
    /** The client's serializer. */
    @Param({"json", "cbor"})
    public String serializer;

    IpcServer server;
    ManagedChannel channel;
    InvokeServiceGrpc.InvokeServiceBlockingStub stub;
    InvokeRequest addRequest;
    InvokeRequest echo1kRequest;
    InvokeRequest echo1mRequest;
    IpcClient client;
    Bench proxy;

    /** Starts the server and connects both clients. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      String name = "jmh-" + UUID.randomUUID();
      server = IpcServer.builder().name(Bench.NAME)
          .expose(Bench.NAME, new BenchObject(), Bench.class).inProcess(name).start();
      channel = InProcessChannelBuilder.forName(name).build();
      stub = InvokeServiceGrpc.newBlockingStub(channel);
      Serializer codec =
          Serializers.of(Serializers.DEFAULT_NAMES, Limits.defaults()).get(serializer);
      addRequest = request(codec, "add", new Object[] {3, 4});
      echo1kRequest = request(codec, "echo", new Object[] {PAYLOAD_1K});
      echo1mRequest = request(codec, "echo", new Object[] {PAYLOAD_1M});
      client = IpcClient.builder().name(Bench.NAME).inProcess(name).serializer(serializer)
          .build();
      proxy = client.getExposedObject(Bench.NAME, Bench.class);
    }

    private static InvokeRequest request(Serializer codec, String method, Object[] args) {
      return InvokeRequest.newBuilder().setObject(Bench.NAME).setMethod(method)
          .setPayload(Payload.newBuilder().setSerializer(codec.name())
              .setData(UnsafeByteOperations.unsafeWrap(codec.writeArguments(args))))
          .build();
    }

    /** Closes both clients and stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      client.close();
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.stop();
    }
  }

  /** The typed gRPC service and its blocking stub on an in-process channel. */
  @State(Scope.Benchmark)
  public static class Typed {
    Server server;
    ManagedChannel channel;
    BenchServiceGrpc.BenchServiceBlockingStub stub;

    /** Starts the server and connects the stub. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      String name = "jmh-" + UUID.randomUUID();
      server = InProcessServerBuilder.forName(name).addService(new GrpcBenchService())
          .build().start();
      channel = InProcessChannelBuilder.forName(name).build();
      stub = BenchServiceGrpc.newBlockingStub(channel);
    }

    /** Closes the channel and stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** A prepared add request through the server's InvokeService. */
  @Benchmark
  public InvokeResponse invokeAdd(Ipc4j s) {
    return s.stub.invoke(s.addRequest);
  }

  /** A prepared 1 KiB echo request through the server's InvokeService. */
  @Benchmark
  public InvokeResponse invokeEcho1k(Ipc4j s) {
    return s.stub.invoke(s.echo1kRequest);
  }

  /** A prepared 1 MiB echo request through the server's InvokeService. */
  @Benchmark
  public InvokeResponse invokeEcho1m(Ipc4j s) {
    return s.stub.invoke(s.echo1mRequest);
  }

  /** add through the typed proxy. */
  @Benchmark
  public int proxyAdd(Ipc4j s) {
    return s.proxy.add(3, 4);
  }

  /** 1 KiB echo through the typed proxy. */
  @Benchmark
  public byte[] proxyEcho1k(Ipc4j s) {
    return s.proxy.echo(PAYLOAD_1K);
  }

  /** 1 MiB echo through the typed proxy. */
  @Benchmark
  public byte[] proxyEcho1m(Ipc4j s) {
    return s.proxy.echo(PAYLOAD_1M);
  }

  /** add through the typed gRPC stub. */
  @Benchmark
  public AddReply typedAdd(Typed t) {
    return t.stub.add(AddRequest.newBuilder().setA(3).setB(4).build());
  }

  /** 1 KiB echo through the typed gRPC stub, answered as byte[] like the proxy's. */
  @Benchmark
  public byte[] typedEcho1k(Typed t) {
    return t.stub.echo(EchoRequest.newBuilder()
        .setData(UnsafeByteOperations.unsafeWrap(PAYLOAD_1K)).build()).getData().toByteArray();
  }

  /** 1 MiB echo through the typed gRPC stub, answered as byte[] like the proxy's. */
  @Benchmark
  public byte[] typedEcho1m(Typed t) {
    return t.stub.echo(EchoRequest.newBuilder()
        .setData(UnsafeByteOperations.unsafeWrap(PAYLOAD_1M)).build()).getData().toByteArray();
  }
}
