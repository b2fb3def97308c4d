package io.ipc4j.bench;

import io.ipc4j.client.IpcClient;
import io.ipc4j.opentelemetry.IpcTelemetry;
import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.nio.file.Path;

/** ipc4j as a user sets it up: an IpcServer exposing {@link Bench}, a typed proxy calling it. */
final class Ipc4jSystem {
  private Ipc4jSystem() {}

  static BenchServer serve(Bench object) throws IOException {
    IpcServer server = IpcServer.builder()
        .name(Bench.NAME)
        .expose(Bench.NAME, object, Bench.class)
        .host(GrpcSystem.LOOPBACK)
        .port(0)
        .start();
    return new BenchServer(String.valueOf(server.port()), server::stop);
  }

  /** The same server, its calls observed by ipc-opentelemetry ({@link BenchTelemetry}). */
  static BenchServer serveObserved(Bench object, IpcTelemetry telemetry) throws IOException {
    IpcServer server = IpcServer.builder()
        .name(Bench.NAME)
        .expose(Bench.NAME, object, Bench.class)
        .host(GrpcSystem.LOOPBACK)
        .port(0)
        .observe(telemetry.server())
        .start();
    return new BenchServer(String.valueOf(server.port()), server::stop);
  }

  /** The same server on a Unix domain socket at {@code socket}. */
  static BenchServer serveUnix(Path socket) throws IOException {
    IpcServer server = IpcServer.builder()
        .name(Bench.NAME)
        .expose(Bench.NAME, new BenchObject(), Bench.class)
        .unixSocket(socket)
        .start();
    return new BenchServer(socket.toString(), server::stop);
  }

  /** A client that sends each call with {@code Invoke}, as ipc4j did before sessions. */
  static Endpoint connect(int port, String serializer) {
    return endpoint(IpcClient.builder().host(GrpcSystem.LOOPBACK).port(port)
        .serializer(serializer).sessions(false));
  }

  /** A cbor client that sends its calls as messages on one session: the client's default. */
  static Endpoint connectSessions(int port) {
    return endpoint(IpcClient.builder().host(GrpcSystem.LOOPBACK).port(port)
        .serializer("cbor").sessions(true));
  }

  /** A session client whose calls are observed by ipc-opentelemetry ({@link BenchTelemetry}). */
  static Endpoint connectObserved(int port, IpcTelemetry telemetry) {
    return endpoint(IpcClient.builder().host(GrpcSystem.LOOPBACK).port(port)
        .serializer("cbor").observe(telemetry.client()));
  }

  /** A cbor client of the server on the Unix domain socket at {@code socket}, with Invoke. */
  static Endpoint connectUnix(Path socket) {
    return endpoint(IpcClient.builder().target("unix://" + socket.toAbsolutePath())
        .serializer("cbor").sessions(false));
  }

  private static Endpoint endpoint(IpcClient.Builder builder) {
    IpcClient client = builder.name(Bench.NAME).build();
    Bench bench = client.getExposedObject(Bench.NAME, Bench.class);
    Adder adder = Integer::sum; // one object, so every call passes the same reference
    return new Endpoint() {
      @Override
      public int add(int a, int b) {
        return bench.add(a, b);
      }

      @Override
      public byte[] echo(byte[] data) {
        return bench.echo(data);
      }

      @Override
      public int callBack(int a, int b) {
        return bench.callBack(adder, a, b);
      }

      @Override
      public int callBackTimes(int a, int n) {
        return bench.callBackTimes(adder, a, n);
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }
}
