package io.ipc4j.server;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.ipc4j.core.CallObserver;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.internal.ObservedCall;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.proto.v1.InvokeRequest;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's {@link CallObserver}, if it has one: starts an observation per call with the names
 * the server exposes (others count as {@link CallObserver.Call#UNKNOWN}) and ends it with the
 * status the call got. Without an observer every call gets {@link #NONE}, which costs nothing. An
 * observer that throws is logged and otherwise ignored: it never fails a call.
 */
final class ServerObservations {
  private static final Logger logger = Logger.getLogger(ServerObservations.class.getName());

  /** What nothing observes. */
  static final CallObserver.Observation NONE = new CallObserver.Observation() {
    @Override
    public CallObserver.Scope enter() {
      return NO_SCOPE;
    }

    @Override
    public void end(String status, ErrorReason reason, Throwable failure, long responseBytes) {}
  };

  private static final CallObserver.Scope NO_SCOPE = () -> {};

  private final CallObserver observer;
  private final CallDecoder decoder;

  /** @param observer null for none */
  ServerObservations(CallObserver observer, CallDecoder decoder) {
    this.observer = observer;
    this.decoder = decoder;
  }

  /** Whether calls are observed at all: without an observer, nothing is computed for one. */
  boolean observing() {
    return observer != null;
  }

  /**
   * Starts observing the call {@code request} carried by {@code rpc}; {@code metadata} gives the
   * entries the client sent with it.
   */
  CallObserver.Observation start(InvokeRequest request, String rpc, boolean oneway,
      Function<String, String> metadata) {
    if (observer == null) {
      return NONE;
    }
    String object = decoder.observedObject(request);
    String method = object == CallObserver.Call.UNKNOWN ? CallObserver.Call.UNKNOWN
        : decoder.observedMethod(request);
    return start(object, method, request, rpc, oneway, metadata);
  }

  /**
   * Starts observing a call to an object the session holds by reference, {@code target} (null
   * when the session holds none by the call's id): named by its interface, and by the method only
   * when the interface has it.
   */
  CallObserver.Observation startReference(ExposedObject target, InvokeRequest request,
      String rpc, boolean oneway, Function<String, String> metadata) {
    if (observer == null) {
      return NONE;
    }
    boolean known = target != null && target.methods.containsKey(request.getMethod());
    return start(target == null ? CallObserver.Call.UNKNOWN : target.name,
        known ? request.getMethod() : CallObserver.Call.UNKNOWN, request, rpc, oneway, metadata);
  }

  private CallObserver.Observation start(String object, String method, InvokeRequest request,
      String rpc, boolean oneway, Function<String, String> metadata) {
    CallObserver.Call call = new ObservedCall(CallObserver.Side.SERVER, object, method, oneway,
        rpc, request.getSerializedSize(), metadata, null);
    try {
      CallObserver.Observation observation = observer.start(call);
      return observation == null ? NONE : guarded(observation);
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "the call observer failed to start " + object + "." + method, e);
      return NONE;
    }
  }

  /** {@code observation}, whose failures are logged rather than thrown into a call. */
  private static CallObserver.Observation guarded(CallObserver.Observation observation) {
    return new CallObserver.Observation() {
      @Override
      public CallObserver.Scope enter() {
        try {
          CallObserver.Scope scope = observation.enter();
          return scope == null ? NO_SCOPE : scope;
        } catch (RuntimeException e) {
          logger.log(Level.WARNING, "the call observer failed to enter a call", e);
          return NO_SCOPE;
        }
      }

      @Override
      public void end(String status, ErrorReason reason, Throwable failure, long responseBytes) {
        try {
          observation.end(status, reason, failure, responseBytes);
        } catch (RuntimeException e) {
          logger.log(Level.WARNING, "the call observer failed to end a call", e);
        }
      }
    };
  }

  /**
   * Ends {@code observation} with {@code status} (a google.rpc.Status answered; null for OK), the
   * method's exception {@code thrown} (null for none) and the answer's size.
   */
  static void end(CallObserver.Observation observation, com.google.rpc.Status status,
      Throwable thrown, long responseBytes) {
    if (observation == NONE) {
      return;
    }
    if (status == null) {
      observation.end(Status.Code.OK.name(), null, null, responseBytes);
      return;
    }
    ErrorInfo info = RemoteErrors.errorInfo(status);
    ErrorReason reason = info != null && ErrorReason.DOMAIN.equals(info.getDomain())
        ? ErrorReason.of(info.getReason()) : null;
    observation.end(Status.fromCodeValue(status.getCode()).getCode().name(), reason, thrown, 0);
  }
}
