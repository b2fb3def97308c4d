package io.ipc4j.server;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.ipc4j.core.CallObserver;
import io.ipc4j.core.Limits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything a server runs with, resolved once by {@link IpcServer.Builder#build()}: the settings
 * file applied, the host resolved to the address that is bound, protected mode checked. Immutable,
 * so a builder changed or reused after {@code build()} cannot change a server already built.
 *
 * @param name the default object's name
 * @param host the host as the user (or the settings file) gave it
 * @param address what {@code host} resolved to; null for in-process and Unix socket servers
 * @param credentials TLS credentials, or null for plaintext
 * @param unixSocket the socket file served instead of TCP, or null
 * @param inProcessName the in-process name served instead of TCP, or null
 * @param serverLimits the bounds on queues and on what each connection holds
 */
record ServerConfig(
    String name,
    String host,
    InetAddress address,
    int port,
    List<Exposure> exposures,
    List<String> serializers,
    List<String> javaAllowList,
    Concurrency concurrency,
    String inProcessName,
    Path unixSocket,
    Set<PosixFilePermission> unixPermissions,
    String token,
    ServerCredentials credentials,
    Limits limits,
    boolean sendTracebacks,
    Duration gracePeriod,
    Duration drainDelay,
    Duration streamLifetime,
    Duration maxConnectionAge,
    int maxThreads,
    ServerLimits serverLimits,
    List<ServerInterceptor> interceptors,
    CallObserver observer) {

  /** An object to expose: under {@code name} (null: the server's name), through {@code iface}. */
  record Exposure(String name, Object object, Class<?> iface) {}

  ServerConfig {
    exposures = List.copyOf(exposures);
    serializers = List.copyOf(serializers);
    javaAllowList = List.copyOf(javaAllowList);
    unixPermissions = Set.copyOf(unixPermissions);
    interceptors = List.copyOf(interceptors);
  }

  /** The TCP address to bind with {@code port} (0 for any free port). */
  InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  /** The credentials the transport serves with: TLS, or plaintext. */
  ServerCredentials serverCredentials() {
    return credentials != null ? credentials : InsecureServerCredentials.create();
  }

  /** Whether the server listens on TCP (not in-process, not a Unix socket). */
  boolean tcp() {
    return inProcessName == null && unixSocket == null;
  }
}
