package io.ipc4j.client;

import io.ipc4j.core.CallObserver;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.internal.CallMetadata;
import io.ipc4j.core.internal.ObservedCall;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client's {@link CallObserver}, if it has one: an observation per call, which gathers the
 * metadata the observer adds (trace context) for the call to carry, and ends with the answer or
 * the exception the caller gets. Without an observer every call gets {@link #NONE}, which costs
 * nothing. An observer that throws is logged and otherwise ignored: it never fails a call.
 */
final class ClientObservations {
  private static final Logger logger = Logger.getLogger(ClientObservations.class.getName());

  /** One call's observation and the metadata it asks the call to carry. */
  static final class Observed {
    final CallObserver.Observation observation;
    /** Entries to send with the call; empty for none. */
    final CallMetadata metadata;

    Observed(CallObserver.Observation observation, CallMetadata metadata) {
      this.observation = observation;
      this.metadata = metadata;
    }

    /** The call answered with {@code responseBytes} bytes. */
    void answered(long responseBytes) {
      if (this != NONE) {
        try {
          observation.end("OK", null, null, responseBytes);
        } catch (RuntimeException e) {
          logger.log(Level.WARNING, "the call observer failed to end a call", e);
        }
      }
    }

    /** The call failed with {@code failure}, which its caller gets. */
    void failed(Throwable failure) {
      if (this != NONE) {
        if (failure instanceof CompletionException && failure.getCause() != null) {
          failure = failure.getCause();
        }
        String status = failure instanceof IpcException e ? e.getStatusCode().name()
            : failure instanceof CancellationException ? "CANCELLED" : "UNKNOWN";
        ErrorReason reason = failure instanceof IpcException e ? e.getReason() : null;
        try {
          observation.end(status, reason, failure, 0);
        } catch (RuntimeException e) {
          logger.log(Level.WARNING, "the call observer failed to end a call", e);
        }
      }
    }
  }

  /** What nothing observes. */
  static final Observed NONE = new Observed(null, CallMetadata.NONE);

  private final CallObserver observer;

  /** @param observer null for none */
  ClientObservations(CallObserver observer) {
    this.observer = observer;
  }

  /** Starts observing a call of {@code object.method} about to be sent with {@code rpc}. */
  Observed start(String object, String method, boolean oneway, String rpc, long requestBytes) {
    if (observer == null) {
      return NONE;
    }
    CallMetadata metadata = new CallMetadata();
    CallObserver.Call call = new ObservedCall(CallObserver.Side.CLIENT, object, method, oneway,
        rpc, requestBytes, null, metadata);
    try {
      CallObserver.Observation observation = observer.start(call);
      return observation == null ? NONE : new Observed(observation, metadata);
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "the call observer failed to start " + object + "." + method, e);
      return NONE;
    }
  }
}
