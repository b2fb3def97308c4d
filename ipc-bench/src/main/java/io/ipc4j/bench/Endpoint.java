package io.ipc4j.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A contender's client as a benchmark thread sees it: the calls, thread-safe, over one connection
 * (channel, client or stub) shared by all threads. The callbacks go to one object of the client,
 * shared by all threads, that answers {@code a + b}.
 */
interface Endpoint extends AutoCloseable {

  /** Calls {@code add(a, b)} remotely. */
  int add(int a, int b) throws Exception;

  /** Calls {@code echo(data)} remotely. */
  byte[] echo(byte[] data) throws Exception;

  /**
   * Calls {@code callBack(adder, a, b)} remotely with the client's adder.
   *
   * @throws UnsupportedOperationException where the system has no callbacks
   */
  default int callBack(int a, int b) throws Exception {
    throw new UnsupportedOperationException("no callbacks");
  }

  /**
   * Calls {@code callBackTimes(adder, a, n)} remotely with the client's adder.
   *
   * @throws UnsupportedOperationException where the system has no callbacks
   */
  default int callBackTimes(int a, int n) throws Exception {
    throw new UnsupportedOperationException("no callbacks");
  }

  /** Closes the connection; never throws. */
  @Override
  void close();

  /**
   * Connects to {@code contender}'s server at {@code address}: a port on 127.0.0.1, or for RMI
   * the file holding the exported stub.
   */
  static Endpoint connect(Contender contender, String address) throws IOException {
    return switch (contender) {
      case IPC4J_JSON -> Ipc4jSystem.connect(port(address), "json");
      case IPC4J_CBOR, IPC4J_INLINE -> Ipc4jSystem.connect(port(address), "cbor");
      case IPC4J_UNIX -> Ipc4jSystem.connectUnix(Path.of(address));
      case IPC4J_SESSION -> Ipc4jSystem.connectSessions(port(address));
      case IPC4J_OTEL -> Ipc4jSystem.connectObserved(port(address), BenchTelemetry.everySpan());
      case IPC4J_OTEL_RATIO ->
          Ipc4jSystem.connectObserved(port(address), BenchTelemetry.oneTraceInTen());
      case GRPC -> GrpcSystem.connect(port(address), null);
      case GRPC_DEADLINE -> GrpcSystem.connect(port(address), GrpcSystem.IPC4J_DEADLINE);
      case GRPC_STREAM, GRPC_STREAM_POOL -> GrpcStreamSystem.connect(port(address));
      case RMI -> RmiSystem.connect(Path.of(address));
      case PYRO4 -> throw new IllegalArgumentException("Pyro4 is called from Python, not Java");
    };
  }

  private static int port(String address) {
    try {
      return Integer.parseInt(address);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a port: '" + address + "'", e);
    }
  }
}
