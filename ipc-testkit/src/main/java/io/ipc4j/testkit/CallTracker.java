package io.ipc4j.testkit;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.ipc4j.proto.v1.DescribeRequest;
import io.ipc4j.proto.v1.InvokeRequest;
import java.util.function.Supplier;

/**
 * Keeps {@link InFlightCalls} up to date with the calls running on the server, named {@code
 * object.method}, and the thread that runs each, so that teardown can say what is still running.
 */
final class CallTracker implements ServerInterceptor {
  private final InFlightCalls calls;
  private final Supplier<String> defaultObject;

  CallTracker(InFlightCalls calls, Supplier<String> defaultObject) {
    this.calls = calls;
    this.defaultObject = defaultObject;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    InFlightCalls.Call tracked = calls.begin(call.getMethodDescriptor().getFullMethodName());
    calls.ranOn(Thread.currentThread());
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(call, headers);
    } catch (RuntimeException | Error e) {
      calls.end(tracked);
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        tracked.name = name(message, tracked.name);
        running(() -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        running(super::onHalfClose);
      }

      @Override
      public void onReady() {
        running(super::onReady);
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          calls.end(tracked);
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          calls.end(tracked);
        }
      }

      private void running(Runnable callback) {
        Thread thread = Thread.currentThread();
        calls.ranOn(thread);
        tracked.thread = thread;
        try {
          callback.run();
        } catch (RuntimeException | Error e) {
          calls.end(tracked); // grpc closes the call with UNKNOWN
          throw e;
        } finally {
          tracked.thread = null;
        }
      }
    };
  }

  private String name(Object message, String otherwise) {
    if (message instanceof InvokeRequest r) {
      return (r.getObject().isEmpty() ? defaultObject.get() : r.getObject()) + "." + r.getMethod();
    }
    if (message instanceof DescribeRequest r) {
      return "describe " + (r.getObject().isEmpty() ? "(all objects)" : r.getObject());
    }
    return otherwise;
  }
}
