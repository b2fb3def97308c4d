package io.ipc4j.testkit;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.ipc4j.proto.v1.DescribeRequest;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps {@link InFlightCalls} up to date with the calls running on the server, named {@code
 * object.method}, and the thread that runs each, so that teardown can say what is still running.
 * The calls on a {@code Session} stream count one by one, each from its message to its answer.
 */
final class CallTracker implements ServerInterceptor {
  private static final String SESSION = InvokeServiceGrpc.getSessionMethod().getFullMethodName();

  private final InFlightCalls calls;
  private final Supplier<String> defaultObject;

  CallTracker(InFlightCalls calls, Supplier<String> defaultObject) {
    this.calls = calls;
    this.defaultObject = defaultObject;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (call.getMethodDescriptor().getFullMethodName().equals(SESSION)) {
      return sessionCalls(call, headers, next);
    }
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

  /**
   * Tracks the calls on a {@code Session} stream, not the stream: an idle session is no leak. A
   * call runs from its message until its answer, its cancel, or the stream's end. Oneway calls get
   * no answer to tell their end, so they are left to the watch on the server's threads.
   */
  private <Q, R> ServerCall.Listener<Q> sessionCalls(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    calls.ranOn(Thread.currentThread());
    Map<Long, InFlightCalls.Call> running = new ConcurrentHashMap<>();
    Runnable endAll = () -> running.keySet().forEach(id -> {
      InFlightCalls.Call c = running.remove(id);
      if (c != null) {
        calls.end(c);
      }
    });
    ServerCall<Q, R> answering = new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(R message) {
        InFlightCalls.Call c = running.remove(((SessionResponse) message).getId());
        try {
          super.sendMessage(message);
        } finally {
          if (c != null) {
            calls.end(c);
          }
        }
      }
    };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(answering, headers);
    } catch (RuntimeException | Error e) {
      endAll.run();
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        SessionRequest request = (SessionRequest) message;
        if (request.hasCall() && !request.getCall().getOneway()) {
          // before the server sees it: it may answer at once, on another thread
          running.put(request.getCall().getId(),
              calls.begin(name(request.getCall().getRequest(), "")));
        } else if (request.hasCancel()) {
          InFlightCalls.Call c = running.remove(request.getCancel().getId());
          if (c != null) {
            calls.end(c);
          }
        }
        calls.ranOn(Thread.currentThread());
        try {
          super.onMessage(message);
        } catch (RuntimeException | Error e) {
          endAll.run();
          throw e;
        }
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          endAll.run();
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          endAll.run();
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
