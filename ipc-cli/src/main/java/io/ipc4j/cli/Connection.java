package io.ipc4j.cli;

import io.ipc4j.client.IpcClient;
import java.time.Duration;

/**
 * Where a command connects or serves, after the settings file (if any) has been applied.
 *
 * @param name the object's name
 * @param host the host to dial or bind
 * @param port the TCP port
 * @param token the shared token, or null for none
 * @param serializer the serializer from the settings file or {@code --serializer}, or null
 */
record Connection(String name, String host, int port, String token, String serializer) {

  /** The address as {@code host:port}, bracketing an IPv6 literal. */
  String address() {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  /** A client for this connection. */
  IpcClient client(Duration deadline) {
    IpcClient.Builder b = IpcClient.builder().name(name).host(host).port(port).deadline(deadline);
    if (token != null) {
      b.token(token);
    }
    if (serializer != null) {
      b.serializer(serializer);
    }
    return b.build();
  }

  @Override
  public String toString() {
    return name + " at " + address();
  }
}
