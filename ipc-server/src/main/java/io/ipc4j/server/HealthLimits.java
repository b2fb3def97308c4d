package io.ipc4j.server;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds what the health service, open to clients without the token, keeps for them: a service
 * name longer than {@value ServerLimits#MAX_HEALTH_SERVICE_NAME} characters is refused with
 * INVALID_ARGUMENT before the service sees it (grpc's service keeps every watched name, known or
 * not), and open {@code Watch} calls are bounded per connection and in total (RESOURCE_EXHAUSTED
 * beyond).
 */
final class HealthLimits implements ServerInterceptor {
  private final ConnectionBudget watches;

  HealthLimits(int perConnection, int total) {
    this.watches = new ConnectionBudget("health watches", "maxHealthWatches", perConnection,
        total, c -> c.healthWatches);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    boolean watch = call.getMethodDescriptor().getFullMethodName()
        .equals(HealthGrpc.getWatchMethod().getFullMethodName());
    ServerCall<Q, R> counted = call;
    Connection connection = Connection.of(call);
    AtomicBoolean held = new AtomicBoolean();
    if (watch) {
      String refused = watches.acquire(connection);
      if (refused != null) {
        call.close(Status.RESOURCE_EXHAUSTED.withDescription(refused), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      held.set(true);
      counted = new SimpleForwardingServerCall<>(call) {
        @Override
        public void close(Status status, Metadata trailers) {
          release(held, connection);
          super.close(status, trailers);
        }
      };
    }
    ServerCall<Q, R> served = counted;
    ServerCall.Listener<Q> listener = next.startCall(served, headers);
    return new SimpleForwardingServerCallListener<>(listener) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (message instanceof HealthCheckRequest request
            && request.getService().length() > ServerLimits.MAX_HEALTH_SERVICE_NAME) {
          refused = true;
          served.close(Status.INVALID_ARGUMENT.withDescription("health service name of "
              + request.getService().length() + " characters; at most "
              + ServerLimits.MAX_HEALTH_SERVICE_NAME + " are accepted"), new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        release(held, connection);
        super.onCancel();
      }

      @Override
      public void onComplete() {
        release(held, connection);
        super.onComplete();
      }
    };
  }

  private void release(AtomicBoolean held, Connection connection) {
    if (held.compareAndSet(true, false)) {
      watches.release(connection);
    }
  }

  /** Watch calls open on all connections; for tests. */
  int watches() {
    return watches.held();
  }
}
