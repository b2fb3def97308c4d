package io.ipc4j.opentelemetry;

import io.ipc4j.core.CallObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The observer of one side (server or client): its instruments, its tracer and the attributes of
 * the methods it has seen. Starts a span and counts the call in flight; {@link
 * TelemetryObservation} records the rest when the call ends.
 */
final class TelemetryObserver implements CallObserver {
  /**
   * Finer than the SDK's default buckets (which start at 5 ms): a call on one machine takes tens
   * of microseconds.
   */
  private static final List<Double> DURATION_MS = List.of(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
      10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0);
  /** The attributes of calls in flight of methods past {@link MethodCache#LIMIT}, as the SDK's. */
  static final Attributes OVERFLOW =
      Attributes.of(AttributeKey.booleanKey("otel.metric.overflow"), true);
  private static final List<Long> SIZE_BYTES = List.of(64L, 256L, 1024L, 4096L, 16384L, 65536L,
      262144L, 1048576L, 4194304L, 16777216L);

  private final Side side;
  private final SpanKind kind;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  final DoubleHistogram duration;
  final LongHistogram requestSize;
  final LongHistogram responseSize;
  private final MethodCache methods = new MethodCache();

  TelemetryObserver(OpenTelemetry otel, Side side, String version) {
    this.side = side;
    this.kind = side == Side.SERVER ? SpanKind.SERVER : SpanKind.CLIENT;
    this.propagator = otel.getPropagators().getTextMapPropagator();
    TracerBuilder tracerBuilder = otel.getTracerProvider().tracerBuilder(IpcTelemetry.SCOPE);
    MeterBuilder meterBuilder = otel.getMeterProvider().meterBuilder(IpcTelemetry.SCOPE);
    if (version != null) {
      tracerBuilder.setInstrumentationVersion(version);
      meterBuilder.setInstrumentationVersion(version);
    }
    this.tracer = tracerBuilder.build();
    Meter meter = meterBuilder.build();
    String prefix = side == Side.SERVER ? "rpc.server." : "rpc.client.";
    String calls = side == Side.SERVER ? "calls served" : "calls made";
    this.duration = meter.histogramBuilder(prefix + "duration")
        .setDescription("Duration of " + calls + ", from start to answer")
        .setUnit("ms")
        .setExplicitBucketBoundariesAdvice(DURATION_MS)
        .build();
    this.requestSize = meter.histogramBuilder(prefix + "request.size").ofLongs()
        .setDescription("Size of the requests of " + calls)
        .setUnit("By")
        .setExplicitBucketBoundariesAdvice(SIZE_BYTES)
        .build();
    this.responseSize = meter.histogramBuilder(prefix + "response.size").ofLongs()
        .setDescription("Size of the answers of " + calls + " (oneway calls have none)")
        .setUnit("By")
        .setExplicitBucketBoundariesAdvice(SIZE_BYTES)
        .build();
    // Observed when metrics are collected, from each method's own count (see MethodAttributes).
    meter.upDownCounterBuilder(prefix + "active_requests")
        .setDescription("Number of " + calls + " in flight")
        .setUnit("{call}")
        .buildWithCallback(measurement -> {
          methods.forEach(method -> measurement.record(method.active.sum(), method.base));
          long overflow = methods.overflowActive();
          if (overflow >= 0) {
            measurement.record(overflow, OVERFLOW);
          }
        });
  }

  @Override
  public Observation start(Call call) {
    long startNanos = System.nanoTime();
    MethodAttributes method = methods.get(call.object(), call.method());
    method.active.increment();
    // A client's span starts now: its trace context goes with the call, which is sent next.
    return new TelemetryObservation(this, call, method, startNanos, side == Side.CLIENT);
  }

  /**
   * Starts the span of {@code call} and answers its context. A client's starts as the call is
   * made, in the context current there, and its trace context is put into the call. A server's
   * continues the trace the call brought, whatever the thread had current, and starts when the
   * call first runs (or ends without running), on the thread that runs it rather than on the
   * transport's, which every call of a connection shares; it is dated back to {@code startNanos},
   * when the call arrived. {@code measured} is what {@link #measured()} gave.
   */
  Context startSpan(Call call, MethodAttributes method, long startNanos, Context measured) {
    Context parent = side == Side.SERVER
        ? propagator.extract(Context.root(), call, CallCarrier.INSTANCE)
        : measured;
    SpanBuilder builder = tracer.spanBuilder(method.spanName)
        .setSpanKind(kind)
        .setParent(parent);
    if (side == Side.SERVER) {
      builder.setStartTimestamp(epochNanos(startNanos), TimeUnit.NANOSECONDS);
    }
    Span span = builder.startSpan();
    // Only a span that is recorded gets attributes: the SDK makes a table for them per span.
    // One by one rather than setAllAttributes(method.base), which visits them through a lambda.
    if (span.isRecording()) {
      span.setAttribute(Keys.RPC_SYSTEM, Keys.SYSTEM);
      span.setAttribute(Keys.RPC_SERVICE, method.object);
      span.setAttribute(Keys.RPC_METHOD, method.method);
      span.setAttribute(Keys.TRANSPORT_RPC, call.rpc());
      if (call.oneway()) {
        span.setAttribute(Keys.ONEWAY, true);
      }
    }
    Context context = parent.with(span);
    if (side == Side.CLIENT) {
      propagator.inject(context, call, CallCarrier.INSTANCE);
    }
    return context;
  }

  /** The time since the epoch, in nanoseconds, that {@code nanoTime} was. */
  private static long epochNanos(long nanoTime) {
    Instant now = Instant.now();
    long elapsed = System.nanoTime() - nanoTime;
    return now.getEpochSecond() * 1_000_000_000L + now.getNano() - elapsed;
  }

  /**
   * The context a call's measurements are recorded in, given once rather than looked up on the
   * thread for each of them (the SDK takes exemplars from a sampled span in it): on a client, the
   * one the call is made in; on a server, none, as a server ends its calls outside them.
   */
  Context measured() {
    return side == Side.CLIENT ? Context.current() : Context.root();
  }

  /** The methods seen so far, for tests. */
  MethodCache methods() {
    return methods;
  }
}
