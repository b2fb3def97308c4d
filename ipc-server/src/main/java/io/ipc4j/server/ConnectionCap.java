package io.ipc4j.server;

import io.grpc.ServerCredentials;
import io.grpc.internal.ObjectPool;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the connections a server holds open: a connection beyond {@code maxConnections} is
 * closed as soon as it is accepted, before it costs more than its socket. grpc offers no such
 * bound, and a connection that only sends the HTTP/2 preface (or nothing) holds a file descriptor
 * until a timeout ends it, so that enough of them leave no descriptor for real clients.
 *
 * <p>It counts in the first handler of each connection, which grpc's protocol negotiator (TLS or
 * plaintext) installs: the credentials are wrapped so that their negotiator's handler comes after
 * the count.
 */
final class ConnectionCap {
  private final int max;
  private final FailureLog log;
  private final AtomicInteger open = new AtomicInteger();

  ConnectionCap(int max, FailureLog log) {
    this.max = max;
    this.log = log;
  }

  /** {@code credentials}, with each connection counted (and closed when one too many). */
  ServerCredentials wrap(ServerCredentials credentials) {
    InternalProtocolNegotiator.ServerFactory factory =
        InternalNettyServerCredentials.toNegotiator(credentials);
    return InternalNettyServerCredentials.create(new InternalProtocolNegotiator.ServerFactory() {
      @Override
      public InternalProtocolNegotiator.ProtocolNegotiator newNegotiator(
          ObjectPool<? extends Executor> executors) {
        return new Counting(factory.newNegotiator(executors));
      }
    });
  }

  /** Connections open now. */
  int open() {
    return open.get();
  }

  /** A negotiator whose handler counts the connection first. */
  private final class Counting implements InternalProtocolNegotiator.ProtocolNegotiator {
    private final InternalProtocolNegotiator.ProtocolNegotiator negotiator;

    Counting(InternalProtocolNegotiator.ProtocolNegotiator negotiator) {
      this.negotiator = negotiator;
    }

    @Override
    public AsciiString scheme() {
      return negotiator.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
      return new Count(negotiator.newHandler(grpcHandler));
    }

    @Override
    public void close() {
      negotiator.close();
    }
  }

  /** Counts the connection, hands it on to {@code next}, and closes it when one too many. */
  private final class Count extends ChannelInboundHandlerAdapter {
    private final ChannelHandler next;

    Count(ChannelHandler next) {
      this.next = next;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.pipeline().addAfter(ctx.name(), null, next);
      ctx.pipeline().remove(this);
      if (open.incrementAndGet() > max) {
        open.decrementAndGet();
        log.refused("refused connections", "refused a connection from "
            + ctx.channel().remoteAddress() + ": " + max + " connections are open (maxConnections "
            + max + ")");
        ctx.channel().close();
        return;
      }
      ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
    }
  }
}
