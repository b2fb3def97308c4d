package io.ipc4j.opentelemetry;

import io.ipc4j.core.CallObserver.Call;
import io.ipc4j.core.CallObserver.Observation;
import io.ipc4j.core.CallObserver.Scope;
import io.ipc4j.core.ErrorReason;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

/**
 * One call's start time and, once begun, its span, until it ends and its metrics are recorded. A
 * client's begins at once; a server's when the call first runs or ends (see {@link
 * TelemetryObserver#startSpan}).
 */
final class TelemetryObservation implements Observation {
  private static final double NANOS_PER_MS = 1_000_000.0;

  private final TelemetryObserver observer;
  private final Call call;
  private final MethodAttributes method;
  private final long startNanos;
  /** The span once begun, else null. */
  private volatile Begun begun;

  /**
   * A begun span: its context (made current while the method runs), the span, and the context
   * the measurements are recorded in (see {@link TelemetryObserver#measured()}).
   */
  private record Begun(Context context, Span span, Context measured) {}

  /** {@code now}: the span starts here (a client's), else when first needed (a server's). */
  TelemetryObservation(TelemetryObserver observer, Call call, MethodAttributes method,
      long startNanos, boolean now) {
    this.observer = observer;
    this.call = call;
    this.method = method;
    this.startNanos = startNanos;
    this.begun = now ? startSpan() : null;
  }

  /**
   * The span, started once, whichever comes first on a server: {@link #enter} (the call runs) or
   * {@link #end} (it ends, perhaps without running, perhaps cancelled while it starts running).
   */
  private Begun begin() {
    Begun b = begun;
    if (b != null) {
      return b;
    }
    synchronized (this) {
      if (begun == null) {
        begun = startSpan();
      }
      return begun;
    }
  }

  private Begun startSpan() {
    Context measured = observer.measured();
    Context context = observer.startSpan(call, method, startNanos, measured);
    return new Begun(context, Span.fromContext(context), measured);
  }

  @Override
  public Scope enter() {
    return begin().context().makeCurrent()::close;
  }

  @Override
  public void end(String status, ErrorReason reason, Throwable failure, long responseBytes) {
    double ms = (System.nanoTime() - startNanos) / NANOS_PER_MS;
    Begun b = begin();
    Span span = b.span();
    Context measured = b.measured();
    int code = StatusCodes.of(status);
    Attributes attributes = method.ended(code, reason);
    observer.duration.record(ms, attributes, measured);
    observer.requestSize.record(call.requestBytes(), attributes, measured);
    if (!call.oneway()) {
      observer.responseSize.record(responseBytes, attributes, measured);
    }
    method.active.decrement();
    if (span.isRecording()) {
      span.setAttribute(Keys.RPC_GRPC_STATUS_CODE, code);
      if (code != 0 || failure != null) {
        span.setStatus(StatusCode.ERROR, status);
      }
      if (reason != null) {
        span.setAttribute(Keys.ERROR_REASON, reason.name());
      }
      if (failure != null) {
        // the class and message only: a traceback in every trace would be large and may leak
        AttributesBuilder exception = Attributes.builder()
            .put(Keys.EXCEPTION_TYPE, failure.getClass().getName());
        if (failure.getMessage() != null) {
          exception.put(Keys.EXCEPTION_MESSAGE, failure.getMessage());
        }
        span.addEvent("exception", exception.build());
      }
    }
    span.end();
  }
}
