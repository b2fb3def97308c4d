package io.ipc4j.server;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.ipc4j.client.IpcClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The transports the conformance tests run over: real TCP on loopback and grpc's in-process
 * transport. A test takes one as a parameter ({@code @EnumSource(Transport.class)}), starts its
 * server through it and builds the matching client, so the same assertions hold on both.
 */
enum Transport {
  /** Netty on 127.0.0.1, port 0. */
  TCP,
  /** grpc's in-process transport under a fresh name. */
  IN_PROCESS;

  /** The metadata size a Netty client accepts, as IpcClient sets it. */
  static final int MAX_METADATA_SIZE = 8 * 1024;

  /**
   * Starts {@code server} on a fresh address of this transport (port 0, or a new in-process
   * name).
   */
  Served start(IpcServer.Builder server) throws IOException {
    if (this == TCP) {
      IpcServer started = server.host("127.0.0.1").port(0).start();
      return new Served(started, new Address(this, started.port(), null));
    }
    Address address = newAddress();
    return new Served(address.serve(server).start(), address);
  }

  /**
   * An address of this transport where nothing listens yet: a port that was free a moment ago,
   * or an in-process name never used.
   */
  Address newAddress() {
    if (this == IN_PROCESS) {
      return new Address(this, -1, "ipc-test-" + UUID.randomUUID());
    }
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new Address(this, probe.getLocalPort(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where a server of some transport listens. */
  record Address(Transport transport, int port, String inProcessName) {

    /** Configures {@code server} to listen here. */
    IpcServer.Builder serve(IpcServer.Builder server) {
      return transport == TCP
          ? server.host("127.0.0.1").port(port) : server.inProcess(inProcessName);
    }

    /** A client builder that connects here. */
    IpcClient.Builder client() {
      IpcClient.Builder client = IpcClient.builder();
      return transport == TCP
          ? client.host("127.0.0.1").port(port) : client.inProcess(inProcessName);
    }

    /** A plain grpc channel to here, with the same 8 KiB metadata limit as the client. */
    ManagedChannel channel() {
      if (transport == TCP) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
            .maxInboundMetadataSize(MAX_METADATA_SIZE).build();
      }
      return InProcessChannelBuilder.forName(inProcessName)
          .maxInboundMetadataSize(MAX_METADATA_SIZE).build();
    }

    /** How the client names this address in its messages: {@code 127.0.0.1:PORT}. */
    String target() {
      return transport == TCP ? "127.0.0.1:" + port : "in-process:" + inProcessName;
    }
  }

  /** A started server and its address; closing it stops the server. */
  record Served(IpcServer server, Address address) implements AutoCloseable {

    /** A client builder that connects to this server. */
    IpcClient.Builder client() {
      return address.client();
    }

    /** A plain grpc channel to this server. */
    ManagedChannel channel() {
      return address.channel();
    }

    /** {@code object.method at TARGET}, as the client names a call in its messages. */
    String call(String object, String method) {
      return object + "." + method + " at " + address.target();
    }

    @Override
    public void close() {
      server.stop();
    }
  }

  /** Shuts {@code channel} down and waits a little for it. */
  static void shutdown(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
