package io.ipc4j.testkit;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.ipc4j.proto.v1.DescribeRequest;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The client half of fault injection. Each ipc4j call is held until its request is known, then
 * takes its fault: a delay holds it back on the client (a timer releases it, no thread waits);
 * any other fault is sent along in a header for {@link FaultServerInterceptor} to carry out. The
 * calls a client sends on a {@code Session} stream take theirs one by one ({@link
 * FaultingSession}).
 */
final class FaultClientInterceptor implements ClientInterceptor {
  /** The header naming the dispatched fault a call must suffer on the server. */
  static final Metadata.Key<String> FAULT =
      Metadata.Key.of("ipc4j-testkit-fault", Metadata.ASCII_STRING_MARSHALLER);

  private final IpcFaults faults;
  private final Delays delays;
  private final InFlightCalls calls;
  private final Supplier<String> defaultObject;

  FaultClientInterceptor(IpcFaults faults, Delays delays, InFlightCalls calls,
      Supplier<String> defaultObject) {
    this.faults = faults;
    this.delays = delays;
    this.calls = calls;
    this.defaultObject = defaultObject;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    if (!InvokeServiceGrpc.SERVICE_NAME.equals(method.getServiceName())) {
      return next.newCall(method, options);
    }
    if (method.getFullMethodName().equals(InvokeServiceGrpc.getSessionMethod()
        .getFullMethodName())) {
      @SuppressWarnings("unchecked") // the Session method's own message types
      ClientCall<Q, R> session = (ClientCall<Q, R>) new FaultingSession(
          (ClientCall<SessionRequest, SessionResponse>) next.newCall(method, options), next,
          faults, delays, calls, defaultObject);
      return session;
    }
    return new FaultingCall<>(method, options, next);
  }

  /**
   * Buffers what the caller does until the call is released, then replays it in order on the
   * real call and passes everything straight through from then on.
   */
  private final class FaultingCall<Q, R> extends ClientCall<Q, R> {
    private final MethodDescriptor<Q, R> method;
    private final CallOptions options;
    private final Channel next;
    private final Object lock = new Object();
    private List<Runnable> pending = new ArrayList<>();
    private boolean passThrough;
    private boolean decided;
    private Metadata headers;
    private Runnable start;
    private volatile ClientCall<Q, R> real;
    private ScheduledFuture<?> timer;
    private InFlightCalls.Call held;

    FaultingCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      this.method = method;
      this.options = options;
      this.next = next;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      Runnable start = () -> real.start(listener, headers);
      synchronized (lock) {
        this.headers = headers;
        this.start = start;
      }
      enqueueOrRun(start);
    }

    @Override
    public void request(int messages) {
      enqueueOrRun(() -> real.request(messages));
    }

    @Override
    public void sendMessage(Q message) {
      enqueueOrRun(() -> real.sendMessage(message));
      boolean first;
      synchronized (lock) {
        first = !decided;
        decided = true;
      }
      if (first) {
        decide(message);
      }
    }

    @Override
    public void halfClose() {
      enqueueOrRun(() -> real.halfClose());
    }

    @Override
    public void cancel(String message, Throwable cause) {
      ScheduledFuture<?> t;
      synchronized (lock) {
        decided = true;
        t = timer;
        if (!passThrough) {
          // Still held: the real call only starts to be cancelled, its request is never sent.
          pending.removeIf(op -> op != start);
        }
      }
      if (t != null) {
        t.cancel(false);
      }
      enqueueOrRun(() -> real.cancel(message, cause));
      release();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      enqueueOrRun(() -> real.setMessageCompression(enabled));
    }

    @Override
    public boolean isReady() {
      synchronized (lock) {
        if (!passThrough) {
          return false;
        }
      }
      return real.isReady();
    }

    @Override
    public Attributes getAttributes() {
      ClientCall<Q, R> r = real;
      return r == null ? Attributes.EMPTY : r.getAttributes();
    }

    private void decide(Q message) {
      String object;
      String name;
      if (message instanceof InvokeRequest request) {
        object = request.getObject().isEmpty() ? defaultObject.get() : request.getObject();
        name = request.getMethod();
      } else if (message instanceof DescribeRequest request) {
        object = request.getObject();
        name = null;
      } else {
        release();
        return;
      }
      Fault fault = faults.take(object, name);
      if (fault == null) {
        release();
      } else if (fault.onServer()) {
        synchronized (lock) {
          headers.put(FAULT, faults.dispatch(fault, object, name));
        }
        release();
      } else {
        hold(fault, name == null ? "describe " + object : object + "." + name);
      }
    }

    private void hold(Fault fault, String name) {
      long wait = fault.delay().toNanos();
      Deadline deadline = earliest(options.getDeadline(), Context.current().getDeadline());
      if (deadline != null) {
        wait = Math.min(wait, Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)));
      }
      InFlightCalls.Call call = calls.hold(name, fault,
          () -> cancel("IpcExtension teardown: the call was still held by faults()." + fault,
              null));
      synchronized (lock) {
        held = call;
      }
      ScheduledFuture<?> t = delays.schedule(this::release, wait);
      synchronized (lock) {
        if (real == null) {
          timer = t;
        }
      }
    }

    /** Creates the real call and replays what was buffered; a no-op the second time. */
    private void release() {
      InFlightCalls.Call h;
      synchronized (lock) {
        if (real != null) {
          return;
        }
        real = next.newCall(method, options);
        h = held;
      }
      if (h != null) {
        calls.end(h);
      }
      while (true) {
        List<Runnable> ops;
        synchronized (lock) {
          if (pending.isEmpty()) {
            pending = null;
            passThrough = true;
            return;
          }
          ops = pending;
          pending = new ArrayList<>();
        }
        ops.forEach(Runnable::run);
      }
    }

    private void enqueueOrRun(Runnable op) {
      synchronized (lock) {
        if (!passThrough) {
          pending.add(op);
          return;
        }
      }
      op.run();
    }
  }

  private static Deadline earliest(Deadline a, Deadline b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a.minimum(b);
  }
}
