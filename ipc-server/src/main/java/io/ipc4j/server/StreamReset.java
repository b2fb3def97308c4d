package io.ipc4j.server;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.ipc4j.proto.v1.InvokeServiceGrpc;

/**
 * Lets the server reset an {@code InvokeStream} call's HTTP/2 stream, which frees at once what
 * grpc holds for it: closing the call only queues its trailers behind the messages its reader
 * never took, so they would stay until the connection closes.
 *
 * <p>grpc resets a server stream when the call's context is cancelled with DEADLINE_EXCEEDED, and
 * that context is created after stream tracers filter its parent: the {@link Factory} makes the
 * parent a cancellable context of ours, which {@link #reset} cancels.
 */
final class StreamReset {
  private static final Context.Key<Context.CancellableContext> KEY =
      Context.key("ipc4j-stream-reset");
  private static final String STREAM_METHOD =
      InvokeServiceGrpc.getInvokeStreamMethod().getFullMethodName();
  /** The tracer of every other call: does nothing. */
  private static final ServerStreamTracer NONE = new ServerStreamTracer() {};

  private StreamReset() {}

  /**
   * Resets the stream of the call whose context (or a child of it) is {@code context}, with
   * {@code status} (DEADLINE_EXCEEDED); answers false when it cannot, and the caller closes the
   * call instead.
   */
  static boolean reset(Context context, Status status) {
    Context.CancellableContext own = KEY.get(context);
    if (own == null) {
      return false;
    }
    own.cancel(status.asRuntimeException());
    return true;
  }

  /** Gives each {@code InvokeStream} call a context that {@link #reset} can cancel. */
  static final class Factory extends ServerStreamTracer.Factory {
    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
      if (!STREAM_METHOD.equals(fullMethodName)) {
        return NONE;
      }
      return new ServerStreamTracer() {
        @Override
        public Context filterContext(Context context) {
          Context.CancellableContext own = context.withCancellation();
          return own.withValue(KEY, own);
        }
      };
    }
  }
}
