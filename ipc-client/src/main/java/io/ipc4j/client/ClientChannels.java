package io.ipc4j.client;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.ipc4j.core.internal.WireHeaders;
import java.util.List;
import java.util.Map;

/** Opens the gRPC channel a client's configuration describes: in-process, Unix socket or TCP. */
final class ClientChannels {
  private ClientChannels() {}

  /**
   * The channel for {@code config}. It connects lazily, so this succeeds with no server running.
   *
   * @throws IllegalStateException for a {@code unix:} target where Netty's native epoll transport
   *     is not available (it is on Linux x86_64 and aarch64)
   */
  static ManagedChannel open(ClientConfig config) {
    if (config.inProcessName() != null) {
      return InProcessChannelBuilder.forName(config.inProcessName())
          .maxInboundMetadataSize(WireHeaders.MAX_METADATA_SIZE)
          .maxInboundMessageSize(config.limits().maxMessageSize())
          .build();
    }
    String to = config.target();
    ChannelCredentials creds = config.credentials() != null
        ? config.credentials() : InsecureChannelCredentials.create();
    ManagedChannelBuilder<?> builder;
    if (isUnix(to)) {
      if (!Epoll.isAvailable()) {
        throw new IllegalStateException("target '" + to + "': Unix domain sockets need Netty's"
            + " native epoll transport (Linux x86_64 or aarch64), which is not available here: "
            + Epoll.unavailabilityCause(), Epoll.unavailabilityCause());
      }
      // grpc-netty-shaded's UdsNettyChannelProvider answers unix: targets with an epoll domain
      // socket channel on grpc's shared event loops.
      builder = Grpc.newChannelBuilder(to, creds);
      if (builder instanceof NettyChannelBuilder netty) {
        // grpc asks for TCP keep-alive, which a Unix socket lacks; Netty would warn on every
        // connection.
        netty.withOption(ChannelOption.SO_KEEPALIVE, null);
      }
    } else if (StaticResolverProvider.isStatic(to)) {
      builder = Grpc.newChannelBuilder(to, creds, StaticResolverProvider.REGISTRY);
    } else {
      builder = NettyChannelBuilder.forTarget(to, creds);
    }
    if (config.balanced() && !isUnix(to)) {
      builder.defaultServiceConfig(healthCheckedRoundRobin(config.name()));
    }
    return builder
        .maxInboundMessageSize(config.limits().maxMessageSize())
        .maxInboundMetadataSize(WireHeaders.MAX_METADATA_SIZE)
        .build();
  }

  private static boolean isUnix(String target) {
    return target.regionMatches(true, 0, "unix:", 0, 5);
  }

  /**
   * Round-robin over the replicas whose health service says {@code service} is SERVING
   * (grpc-services' health-checking round_robin, which replaces grpc-core's by priority).
   */
  private static Map<String, ?> healthCheckedRoundRobin(String service) {
    return Map.of(
        "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
        "healthCheckConfig", Map.of("serviceName", service));
  }
}
