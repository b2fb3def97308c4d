package io.ipc4j.server.hardening;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.ipc4j.client.IpcClient;
import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real channels the hardening suites run over: TCP on loopback (port 0) and grpc's in-process
 * transport. A copy of the conformance tests' Transport, for this package.
 */
enum Net {
  /** Netty on 127.0.0.1, port 0. */
  TCP,
  /** grpc's in-process transport under a fresh name. */
  IN_PROCESS;

  /** The metadata size a Netty client accepts, as IpcClient sets it. */
  static final int MAX_METADATA_SIZE = 8 * 1024;

  /** Starts {@code server} on a fresh address of this transport. */
  Served start(IpcServer.Builder server) throws IOException {
    if (this == TCP) {
      IpcServer started = server.host("127.0.0.1").port(0).start();
      return new Served(this, started, started.port(), null);
    }
    String name = "hardening-" + UUID.randomUUID();
    return new Served(this, server.inProcess(name).start(), -1, name);
  }

  /** A started server and how to reach it; closing it stops the server. */
  record Served(Net net, IpcServer server, int port, String inProcessName)
      implements AutoCloseable {

    /** A client builder that connects to this server. */
    IpcClient.Builder client() {
      IpcClient.Builder client = IpcClient.builder();
      return net == TCP ? client.host("127.0.0.1").port(port) : client.inProcess(inProcessName);
    }

    /** A plain grpc channel to this server, with the client's 8 KiB metadata limit. */
    ManagedChannel channel() {
      if (net == TCP) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
            .maxInboundMetadataSize(MAX_METADATA_SIZE).build();
      }
      return InProcessChannelBuilder.forName(inProcessName)
          .maxInboundMetadataSize(MAX_METADATA_SIZE).build();
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
