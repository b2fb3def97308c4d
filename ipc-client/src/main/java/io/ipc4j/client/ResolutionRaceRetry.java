package io.ipc4j.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * A channel that starts a call once more when grpc-java's channel refuses it with
 * "Resolution is pending". {@link Invoker#reconnectIfFailed} puts a failed channel back into idle
 * mode; a call that another thread starts at that moment can meet the channel between its check
 * of the name resolution and its use of it (ManagedChannelImpl's config selector), and fails before
 * anything is sent. Starting it again is safe and lets it wait for the new resolution.
 */
final class ResolutionRaceRetry extends Channel {
  private static final String PENDING = "Resolution is pending";

  private final Channel channel;

  ResolutionRaceRetry(Channel channel) {
    this.channel = channel;
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return new ForwardingClientCall<Q, R>() {
      private ClientCall<Q, R> call = channel.newCall(method, options);

      @Override
      protected ClientCall<Q, R> delegate() {
        return call;
      }

      @Override
      public void start(Listener<R> listener, Metadata headers) {
        try {
          call.start(listener, headers);
        } catch (IllegalStateException e) {
          if (!PENDING.equals(e.getMessage())) {
            throw e;
          }
          call = channel.newCall(method, options);
          call.start(listener, headers);
        }
      }
    };
  }

  @Override
  public String authority() {
    return channel.authority();
  }
}
