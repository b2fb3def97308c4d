package io.ipc4j.server;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerCall;
import io.grpc.ServerTransportFilter;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection, as the calls on it see it: counts what it holds of the server's
 * per-connection bounds (oneway calls, health watches). The {@link Filter} attaches one to each
 * connection's attributes when it becomes ready; every transport has them, in-process too.
 */
final class Connection {
  /** Where a connection's calls find it: {@code call.getAttributes().get(KEY)}. */
  static final Attributes.Key<Connection> KEY = Attributes.Key.create("ipc4j-connection");
  /** Counts for calls whose transport has no connection attached (none expected). */
  private static final Connection UNKNOWN = new Connection("an unknown peer");

  /** Who is at the other end, as messages name it. */
  private final String peer;

  /** Oneway calls of this connection that wait for a thread or run. */
  final AtomicInteger onewayCalls = new AtomicInteger();
  /** Health {@code Watch} calls open on this connection. */
  final AtomicInteger healthWatches = new AtomicInteger();

  private Connection(String peer) {
    this.peer = peer;
  }

  /** The connection {@code call} came on. */
  static Connection of(ServerCall<?, ?> call) {
    Connection c = call.getAttributes().get(KEY);
    return c != null ? c : UNKNOWN;
  }

  @Override
  public String toString() {
    return peer;
  }

  /** Gives each new connection its {@link Connection}. */
  static final class Filter extends ServerTransportFilter {
    @Override
    public Attributes transportReady(Attributes attributes) {
      SocketAddress remote = attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      return attributes.toBuilder()
          .set(KEY, new Connection(remote == null ? "an unknown peer" : remote.toString()))
          .build();
    }
  }
}
