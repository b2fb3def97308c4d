package io.ipc4j.cli;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.ipc4j.proto.v1.DescribeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;

/**
 * Keeps the last {@code Describe} answer a client received, whole: the client reads one object's
 * methods out of it, {@code ipc describe} prints every object, with its type. Going through the
 * client gives describe the same targets, TLS, token and settings as the other commands.
 */
final class DescribeResponses implements ClientInterceptor {
  private volatile DescribeResponse last;

  /** The last answer received, or null. */
  DescribeResponse last() {
    return last;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    ClientCall<Q, R> call = next.newCall(method, options);
    if (!method.getFullMethodName().equals(
        InvokeServiceGrpc.getDescribeMethod().getFullMethodName())) {
      return call;
    }
    return new SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(new SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onMessage(R message) {
            last = (DescribeResponse) message;
            super.onMessage(message);
          }
        }, headers);
      }
    };
  }
}
