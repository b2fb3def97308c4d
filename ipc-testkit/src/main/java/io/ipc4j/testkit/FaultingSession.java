package io.ipc4j.testkit;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Fault injection for the calls a client sends as messages on one {@code Session} stream, so that
 * each suffers what it would over {@code Invoke}. A delayed call's message is held back on a timer
 * (for its delay, or until its own timeout if that comes first; then the client's deadline fails
 * it and it never reaches the server). A call with any other fault leaves the session: it goes out
 * as an {@code Invoke} of its own carrying the fault for {@link FaultServerInterceptor}, and how
 * that ends comes back to the session's listener as the call's answer. Oneway calls that come
 * after a held oneway call wait behind it, as the client's oneway calls run in order.
 */
final class FaultingSession extends ClientCall<SessionRequest, SessionResponse> {
  private final ClientCall<SessionRequest, SessionResponse> real;
  private final Channel next;
  private final IpcFaults faults;
  private final Delays delays;
  private final InFlightCalls calls;
  private final Supplier<String> defaultObject;

  /** Guards the state below; never held while calling out. */
  private final Object lock = new Object();
  /** The calls kept off the session, held or diverted, by id. */
  private final Map<Long, Outside> outside = new HashMap<>();
  /** Oneway calls waiting for a held oneway call before them. */
  private final Queue<Runnable> onewayQueue = new ArrayDeque<>();
  /** Set while a oneway call is held, or those queued behind it are being sent. */
  private boolean onewayBlocked;
  /** The oneway call held right now, if any. */
  private Outside heldOneway;
  private boolean halfClosePending;
  private boolean ended;
  /** Serializes what is sent on the real stream: the caller's thread and the timer's. */
  private final Object sending = new Object();
  /** Guarded by sending: the real stream is half-closed; a call released late is dropped. */
  private boolean halfClosed;
  /** Serializes what the caller's listener hears: the real stream's answers and ours. */
  private final Object hearing = new Object();
  private Listener<SessionResponse> listener;
  private boolean listenerClosed;
  /** The session's headers (its token, say), which a diverted call carries too. */
  private volatile Metadata headers;

  /** A call kept off the session: held by a delay, or diverted to an {@code Invoke}. */
  private static final class Outside {
    ScheduledFuture<?> timer;
    InFlightCalls.Call held;
    ClientCall<InvokeRequest, InvokeResponse> diverted;
  }

  FaultingSession(ClientCall<SessionRequest, SessionResponse> real, Channel next,
      IpcFaults faults, Delays delays, InFlightCalls calls, Supplier<String> defaultObject) {
    this.real = real;
    this.next = next;
    this.faults = faults;
    this.delays = delays;
    this.calls = calls;
    this.defaultObject = defaultObject;
  }

  @Override
  public void start(Listener<SessionResponse> listener, Metadata headers) {
    this.listener = listener;
    this.headers = headers;
    real.start(new Listener<>() {
      @Override
      public void onHeaders(Metadata headers) {
        synchronized (hearing) {
          listener.onHeaders(headers);
        }
      }

      @Override
      public void onMessage(SessionResponse message) {
        hear(message);
      }

      @Override
      public void onReady() {
        synchronized (hearing) {
          listener.onReady();
        }
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        endOutside("the session ended");
        synchronized (hearing) {
          listenerClosed = true;
          listener.onClose(status, trailers);
        }
      }
    }, headers);
  }

  @Override
  public void request(int messages) {
    real.request(messages);
  }

  @Override
  public void sendMessage(SessionRequest message) {
    // Faults name exposed objects: calls to references pass as they are.
    if (message.hasCall() && message.getCall().getReference().isEmpty()) {
      SessionRequest.Call call = message.getCall();
      InvokeRequest request = call.getRequest();
      String object = request.getObject().isEmpty() ? defaultObject.get() : request.getObject();
      Fault fault = faults.take(object, request.getMethod());
      if (call.getOneway()) {
        Runnable route = () -> route(message, fault, object);
        synchronized (lock) {
          if (onewayBlocked) {
            onewayQueue.add(route);
            return;
          }
        }
        route.run();
      } else {
        route(message, fault, object);
      }
    } else if (message.hasCancel()) {
      Outside kept;
      synchronized (lock) {
        kept = outside.remove(message.getCancel().getId());
      }
      if (kept == null) {
        send(message);
      } else {
        stop(kept, "cancelled by the client");
        afterOutside();
      }
    } else {
      send(message);
    }
  }

  /** Sends the call in {@code message}, or keeps it off the session as {@code fault} says. */
  private void route(SessionRequest message, Fault fault, String object) {
    if (fault == null) {
      send(message);
    } else if (fault.onServer()) {
      divert(message.getCall(), fault, object);
    } else {
      hold(message, fault, object);
    }
  }

  private void hold(SessionRequest message, Fault fault, String object) {
    SessionRequest.Call call = message.getCall();
    long id = call.getId();
    long wait = fault.delay().toNanos();
    boolean expires = false;
    if (call.hasTimeout()) {
      long timeout = TimeUnit.SECONDS.toNanos(call.getTimeout().getSeconds())
          + call.getTimeout().getNanos();
      expires = timeout < wait;
      wait = Math.min(wait, timeout);
    }
    Outside kept = new Outside();
    String abort = "IpcExtension teardown: the call was still held by faults()." + fault;
    kept.held = calls.hold(object + "." + call.getRequest().getMethod(), fault,
        () -> abort(id, call.getOneway(), abort));
    synchronized (lock) {
      outside.put(id, kept);
      if (call.getOneway()) {
        onewayBlocked = true;
        heldOneway = kept;
      }
    }
    // Past its timeout the client fails the call itself; it never reaches the server.
    boolean sendWhenDue = !expires;
    ScheduledFuture<?> timer = delays.schedule(() -> release(id, message, sendWhenDue), wait);
    synchronized (lock) {
      if (outside.get(id) == kept) {
        kept.timer = timer;
      }
    }
  }

  /** The delay of a held call is over: sends it, then the oneway calls queued behind it. */
  private void release(long id, SessionRequest message, boolean sendIt) {
    Outside kept;
    synchronized (lock) {
      kept = outside.remove(id);
    }
    if (kept == null) {
      return; // cancelled or aborted meanwhile
    }
    calls.end(kept.held);
    if (sendIt) {
      send(message);
    }
    if (message.getCall().getOneway()) {
      resumeOneway();
    }
    afterOutside();
  }

  /** Runs the oneway calls queued behind a held one, until one of them is held in turn. */
  private void resumeOneway() {
    while (true) {
      Runnable route;
      synchronized (lock) {
        heldOneway = null;
        route = onewayQueue.poll();
        if (route == null) {
          onewayBlocked = false;
          return;
        }
      }
      route.run();
      synchronized (lock) {
        if (heldOneway != null) {
          return; // held in turn: its release goes on
        }
      }
    }
  }

  /** Teardown gives up on a held call: it fails as cancelled, as a held {@code Invoke} does. */
  private void abort(long id, boolean oneway, String why) {
    Outside kept;
    synchronized (lock) {
      kept = outside.remove(id);
    }
    if (kept == null) {
      return;
    }
    stop(kept, why);
    if (!oneway) {
      hear(SessionResponse.newBuilder().setId(id)
          .setError(StatusProto.fromStatusAndTrailers(Status.CANCELLED.withDescription(why), null))
          .build());
    }
    if (oneway) {
      resumeOneway();
    }
    afterOutside();
  }

  /** Sends {@code call} as an {@code Invoke} of its own, carrying {@code fault} to the server. */
  private void divert(SessionRequest.Call call, Fault fault, String object) {
    long id = call.getId();
    CallOptions options = CallOptions.DEFAULT;
    if (call.hasTimeout()) {
      options = options.withDeadlineAfter(TimeUnit.SECONDS.toNanos(call.getTimeout().getSeconds())
          + call.getTimeout().getNanos(), TimeUnit.NANOSECONDS);
    }
    ClientCall<InvokeRequest, InvokeResponse> invoke =
        next.newCall(InvokeServiceGrpc.getInvokeMethod(), options);
    Outside kept = new Outside();
    kept.diverted = invoke;
    synchronized (lock) {
      outside.put(id, kept);
    }
    Metadata headers = new Metadata();
    headers.merge(this.headers);
    headers.put(FaultClientInterceptor.FAULT,
        faults.dispatch(fault, object, call.getRequest().getMethod()));
    invoke.start(new Listener<>() {
      private InvokeResponse answer;

      @Override
      public void onMessage(InvokeResponse message) {
        answer = message;
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        boolean mine;
        synchronized (lock) {
          mine = outside.remove(id, kept);
        }
        if (!mine) {
          return; // cancelled by the client, or the session ended
        }
        if (!call.getOneway()) {
          SessionResponse.Builder response = SessionResponse.newBuilder().setId(id);
          if (status.isOk() && answer != null) {
            response.setAnswer(answer);
          } else {
            response.setError(StatusProto.fromStatusAndTrailers(status, trailers));
          }
          hear(response.build());
        }
        afterOutside();
      }
    }, headers);
    invoke.request(1);
    invoke.sendMessage(call.getRequest());
    invoke.halfClose();
  }

  /** Cancels what keeps a call off the session. */
  private void stop(Outside kept, String why) {
    if (kept.timer != null) {
      kept.timer.cancel(false);
    }
    if (kept.held != null) {
      calls.end(kept.held);
    }
    if (kept.diverted != null) {
      kept.diverted.cancel(why, null);
    }
  }

  /** The stream ended: calls kept off it end too; the client fails them itself. */
  private void endOutside(String why) {
    List<Outside> kept;
    synchronized (lock) {
      ended = true;
      kept = List.copyOf(outside.values());
      outside.clear();
      onewayQueue.clear();
      heldOneway = null;
      onewayBlocked = false;
    }
    kept.forEach(k -> stop(k, why));
  }

  /** Half-closes the real stream once a half-close waits for no call kept off it. */
  private void afterOutside() {
    synchronized (lock) {
      if (!halfClosePending || !outside.isEmpty() || !onewayQueue.isEmpty()) {
        return;
      }
      halfClosePending = false;
    }
    realHalfClose();
  }

  private void send(SessionRequest message) {
    synchronized (sending) {
      if (!halfClosed) {
        real.sendMessage(message);
      }
    }
  }

  private void realHalfClose() {
    synchronized (sending) {
      if (!halfClosed) {
        halfClosed = true;
        real.halfClose();
      }
    }
  }

  private void hear(SessionResponse message) {
    synchronized (hearing) {
      if (!listenerClosed) {
        listener.onMessage(message);
      }
    }
  }

  /**
   * Half-closes once no call is kept off the session any more, so that held and diverted calls
   * are still answered (teardown aborts those still held).
   */
  @Override
  public void halfClose() {
    synchronized (lock) {
      if (!ended && (!outside.isEmpty() || !onewayQueue.isEmpty())) {
        halfClosePending = true;
        return;
      }
    }
    realHalfClose();
  }

  @Override
  public void cancel(String message, Throwable cause) {
    endOutside(message);
    synchronized (sending) {
      real.cancel(message, cause);
    }
  }

  @Override
  public boolean isReady() {
    return real.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    synchronized (sending) {
      real.setMessageCompression(enabled);
    }
  }

  @Override
  public Attributes getAttributes() {
    return real.getAttributes();
  }
}
