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

/** One call's span and start time, until it ends and its metrics are recorded. */
final class TelemetryObservation implements Observation {
  private static final double NANOS_PER_MS = 1_000_000.0;

  private final TelemetryObserver observer;
  private final Call call;
  private final MethodAttributes method;
  private final Span span;
  private final Context context;
  /** The context the measurements are recorded in (see {@code TelemetryObserver.measured}). */
  private final Context measured;
  private final long startNanos;

  TelemetryObservation(TelemetryObserver observer, Call call, MethodAttributes method, Span span,
      Context context, Context measured, long startNanos) {
    this.observer = observer;
    this.call = call;
    this.method = method;
    this.span = span;
    this.context = context;
    this.measured = measured;
    this.startNanos = startNanos;
  }

  @Override
  public Scope enter() {
    return context.makeCurrent()::close;
  }

  @Override
  public void end(String status, ErrorReason reason, Throwable failure, long responseBytes) {
    double ms = (System.nanoTime() - startNanos) / NANOS_PER_MS;
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
