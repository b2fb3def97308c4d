package io.ipc4j.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A contender's server running in this JVM on 127.0.0.1.
 *
 * @param address what a client needs to connect: the port, or for RMI the stub file
 * @param stopper stops the server and frees what it holds
 */
record BenchServer(String address, Runnable stopper) implements AutoCloseable {

  /** Starts {@code contender}'s server on a free port; RMI writes its stub into {@code dir}. */
  static BenchServer start(Contender contender, Path dir) throws IOException {
    return switch (contender) {
      case IPC4J_JSON, IPC4J_CBOR, IPC4J_SESSION -> Ipc4jSystem.serve(new BenchObject());
      case IPC4J_INLINE -> Ipc4jSystem.serve(new NonBlockingBenchObject());
      case IPC4J_OTEL -> Ipc4jSystem.serveObserved(new BenchObject(), BenchTelemetry.everySpan());
      case IPC4J_OTEL_RATIO ->
          Ipc4jSystem.serveObserved(new BenchObject(), BenchTelemetry.oneTraceInTen());
      case IPC4J_UNIX -> Ipc4jSystem.serveUnix(dir.resolve("bench.sock"));
      case GRPC, GRPC_DEADLINE -> GrpcSystem.serve();
      case GRPC_STREAM -> GrpcStreamSystem.serve(false);
      case GRPC_STREAM_POOL -> GrpcStreamSystem.serve(true);
      case RMI -> RmiSystem.serve(dir);
      case PYRO4 -> throw new IllegalArgumentException("Pyro4 serves from Python, not Java");
    };
  }

  /** Stops the server. */
  @Override
  public void close() {
    stopper.run();
  }
}
