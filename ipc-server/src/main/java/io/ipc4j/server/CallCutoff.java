package io.ipc4j.server;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps hold of the calls in flight, so that {@code stop()} can end those still running when the
 * grace period is over with a status of its choosing (UNAVAILABLE: the server went away, try
 * elsewhere) rather than the CANCELLED that a forced transport shutdown gives clients. What the
 * method sends after that is dropped.
 */
final class CallCutoff implements ServerInterceptor {
  private final Set<Guarded<?, ?>> open = ConcurrentHashMap.newKeySet();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Guarded<Q, R> guarded = new Guarded<>(call);
    open.add(guarded);
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(guarded, headers);
    } catch (RuntimeException | Error e) {
      open.remove(guarded);
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        open.remove(guarded);
        super.onComplete();
      }

      @Override
      public void onCancel() {
        open.remove(guarded);
        super.onCancel();
      }
    };
  }

  /** Ends every call still open with {@code status}; answers how many it ended. */
  int cutOff(Status status) {
    int ended = 0;
    for (Guarded<?, ?> call : open) {
      if (call.closeIfOpen(status)) {
        ended++;
      }
      open.remove(call);
    }
    return ended;
  }

  /**
   * A call that {@link #cutOff} may close from another thread; what the method sends after that
   * is dropped. Calls the method makes otherwise pass through unchanged.
   */
  private static final class Guarded<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private boolean closedByMethod;
    private boolean cut;

    Guarded(ServerCall<Q, R> call) {
      super(call);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!cut) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!cut) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!cut) {
        closedByMethod = true;
        super.close(status, trailers);
      }
    }

    synchronized boolean closeIfOpen(Status status) {
      if (cut || closedByMethod) {
        return false;
      }
      cut = true;
      super.close(status, new Metadata());
      return true;
    }
  }
}
