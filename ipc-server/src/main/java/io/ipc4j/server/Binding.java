package io.ipc4j.server;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Where a server listens and how it gets there: a TCP address, where a taken port is retried 5
 * times, 10 ms apart; a Unix domain socket file, replaced when stale and restricted right after
 * binding; or an in-process name. It builds the gRPC transport around the server's services,
 * starts it, and releases what the transport leaves behind.
 */
final class Binding {
  private static final Logger logger = Logger.getLogger(IpcServer.class.getName());
  static final int RETRIES = 5;
  static final long RETRY_MILLIS = 10;

  private final ServerConfig config;
  /** The socket file served instead of TCP, or null. */
  private final UnixSocket unix;
  private final String threadPrefix;
  /** Closes connections beyond the configured number. */
  private final ConnectionCap cap;
  /** The TCP address listened on once bound; null before, and for other transports. */
  private volatile InetSocketAddress bound;

  Binding(ServerConfig config, String threadPrefix) {
    this.config = config;
    this.threadPrefix = threadPrefix;
    this.cap = new ConnectionCap(config.serverLimits().maxConnections(), new FailureLog(logger));
    this.unix = config.unixSocket() != null
        ? new UnixSocket(config.unixSocket(), config.unixPermissions()) : null;
  }

  /**
   * Builds a transport serving {@code services} and starts it.
   *
   * @throws BindException naming the address (or the socket's path) when it stays taken
   * @throws IOException when the transport cannot start for another reason
   */
  Server start(List<ServerServiceDefinition> services) throws IOException {
    if (unix != null) {
      return startUnix(services);
    }
    for (int attempt = 0; ; attempt++) {
      Server candidate = newServer(services);
      try {
        candidate.start();
        if (config.tcp()) {
          bound = (InetSocketAddress) candidate.getListenSockets().get(0);
        }
        return candidate;
      } catch (IOException e) {
        candidate.shutdownNow();
        if (!isBindFailure(e)) {
          throw e;
        }
        if (attempt == RETRIES) {
          throw bindException("cannot bind " + addressText(config.port())
              + ": address already in use", e);
        }
        pauseBeforeRetry(addressText(config.port()));
      }
    }
  }

  /**
   * Binds the Unix socket: replaces a stale socket file, retries while another server answers on
   * it, and restricts the file's permissions right after binding.
   */
  private Server startUnix(List<ServerServiceDefinition> services) throws IOException {
    for (int attempt = 0; ; attempt++) {
      IOException taken = null;
      if (unix.clearStale()) {
        Server candidate = newServer(services);
        try {
          candidate.start();
        } catch (IOException e) {
          candidate.shutdownNow();
          if (!isBindFailure(e)) {
            throw e;
          }
          taken = e;
        }
        if (taken == null) {
          try {
            unix.bound();
            return candidate;
          } catch (IOException | RuntimeException e) {
            candidate.shutdownNow();
            throw new IOException("cannot set the permissions of unix socket " + unix.path(), e);
          }
        }
      }
      if (attempt == RETRIES) {
        throw bindException("cannot bind unix socket " + unix.path()
            + ": a server is listening on it", taken);
      }
      pauseBeforeRetry(unix.path().toString());
    }
  }

  private static BindException bindException(String message, IOException cause) {
    BindException bind = new BindException(message + " (tried " + (RETRIES + 1) + " times, "
        + RETRY_MILLIS + " ms apart)");
    bind.initCause(cause);
    return bind;
  }

  private Server newServer(List<ServerServiceDefinition> services) {
    ServerBuilder<?> builder;
    if (config.inProcessName() != null) {
      builder = InProcessServerBuilder.forName(config.inProcessName());
    } else {
      ServerCredentials credentials = cap.wrap(config.serverCredentials());
      NettyServerBuilder netty = unix != null
          ? unix.serverBuilder(credentials, threadPrefix)
          : NettyServerBuilder.forAddress(config.socketAddress(), credentials);
      netty.maxInboundMessageSize(config.limits().maxMessageSize());
      if (config.maxConnectionAge() != null) {
        netty.maxConnectionAge(config.maxConnectionAge().toNanos(), TimeUnit.NANOSECONDS);
      }
      limitConnections(netty, config.serverLimits());
      builder = netty;
    }
    builder.handshakeTimeout(config.serverLimits().handshakeTimeout().toNanos(),
        TimeUnit.NANOSECONDS);
    builder.addTransportFilter(new Connection.Filter());
    builder.addStreamTracerFactory(new StreamReset.Factory());
    services.forEach(builder::addService);
    // grpc runs its callbacks on the transport's threads, none of which ever blocks: health,
    // reflection, the token check and request parsing are quick. InvokeService hands each call
    // of an exposed method to the bounded call pool itself, one hand-off per call (grpc's own
    // executor would take two or three), unless the method is @NonBlocking.
    return builder.directExecutor().build();
  }

  /**
   * What one connection may hold and how long it may idle: concurrent calls, keep-alive pings
   * (as often as once a minute by default, and only while calls are open), stream resets (the
   * HTTP/2 "rapid reset" flood), and the time without calls before it is closed.
   */
  private static void limitConnections(NettyServerBuilder netty, ServerLimits limits) {
    netty.maxConcurrentCallsPerConnection(limits.maxConcurrentCallsPerConnection())
        .maxConnectionIdle(limits.maxConnectionIdle().toNanos(), TimeUnit.NANOSECONDS)
        .permitKeepAliveTime(limits.permitKeepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
        .permitKeepAliveWithoutCalls(false)
        .maxRstFramesPerWindow(limits.maxRstFrames(), limits.rstWindowSeconds());
  }

  /** Connections open now (TCP and Unix sockets; in-process servers have none). */
  int openConnections() {
    return cap.open();
  }

  private static void pauseBeforeRetry(String what) throws IOException {
    try {
      Thread.sleep(RETRY_MILLIS);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while retrying to bind " + what, ie);
    }
  }

  /**
   * Whether the port was taken. Java's sockets say so with a BindException; Netty's native epoll
   * transport, which grpc uses on Linux, with an IOException carrying the C library's text.
   */
  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException || t instanceof IOException
          && t.getMessage() != null && t.getMessage().contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Ends the Unix socket's event loops and removes its file, once the transport has terminated
   * or failed to start; nothing to do for other transports. Answers whether it was interrupted.
   */
  boolean release(long millis) {
    if (unix == null) {
      return false;
    }
    try {
      if (!unix.release(millis)) {
        logger.warning("the event loops of " + where() + " did not end within " + millis + " ms");
      }
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }

  /** Whether what the transport left behind (a Unix socket's event loops) has ended. */
  boolean isTerminated() {
    return unix == null || unix.isTerminated();
  }

  /** The TCP address listened on; null before binding, and for in-process and Unix sockets. */
  InetSocketAddress tcpAddress() {
    return bound;
  }

  /**
   * Where the server listens, as its messages name it: {@code 127.0.0.1:9099} (the address
   * bound, or to be bound), {@code unix:///path}, or {@code in-process NAME}.
   */
  String where() {
    if (config.inProcessName() != null) {
      return "in-process " + config.inProcessName();
    }
    if (unix != null) {
      return unix.target();
    }
    InetSocketAddress b = bound;
    return addressText(b != null ? b.getPort() : config.port());
  }

  /** {@code address:port} of the TCP address, IPv6 in brackets. */
  private String addressText(int port) {
    String literal = config.address().getHostAddress();
    return (literal.contains(":") ? "[" + literal + "]" : literal) + ":" + port;
  }
}
