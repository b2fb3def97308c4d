package io.ipc4j.client;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.ipc4j.core.CallObserver;
import io.ipc4j.core.Limits;
import java.time.Duration;
import java.util.List;

/**
 * Everything a client runs with, resolved once by {@link IpcClient.Builder#build()} with the
 * settings file applied. Immutable, so a builder changed or reused after {@code build()} cannot
 * change a client already built.
 *
 * @param name the default object's name
 * @param target the gRPC target dialled ({@code host:port}, {@code dns:///…}, {@code unix:///…});
 *     null for an in-process client
 * @param balanced whether the target was given as such (and may name several replicas, which are
 *     balanced round-robin by health), rather than made of host and port
 * @param inProcessName the in-process server's name, or null
 * @param credentials TLS credentials, or null for plaintext
 * @param sessions whether calls go as messages on one long-lived stream
 * @param maxReferences the most references one session carries, both ways
 * @param callbackThreads the threads that run the server's calls to the client's objects
 */
record ClientConfig(
    String name,
    String target,
    boolean balanced,
    String inProcessName,
    String serializer,
    Duration deadline,
    String token,
    ChannelCredentials credentials,
    Limits limits,
    List<String> javaAllowList,
    List<ClientInterceptor> interceptors,
    boolean sessions,
    CallObserver observer,
    int maxReferences,
    int callbackThreads) {

  ClientConfig {
    javaAllowList = List.copyOf(javaAllowList);
    interceptors = List.copyOf(interceptors);
  }

  /** What the client calls, as its messages name it. */
  String where() {
    return inProcessName != null ? "in-process:" + inProcessName : target;
  }
}
