package io.ipc4j.bench.jmh;

import io.ipc4j.bench.BenchTelemetry;
import io.ipc4j.core.CallObserver;
import io.ipc4j.core.internal.CallMetadata;
import io.ipc4j.core.internal.ObservedCall;
import io.ipc4j.opentelemetry.IpcTelemetry;
import io.ipc4j.proto.v1.SessionRequest;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What ipc-opentelemetry costs per call, without the call: the client's observation (span, trace
 * context into the call's metadata, metrics) and the server's (trace context out of it, span
 * entered while the method would run, metrics) of one {@code add} over a session, with the SDK of
 * the {@code ipc4j-otel} systems. Run with {@code -t 2} or more, the SDK's batching thread and
 * the callers share the cores, as in a busy process.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class TelemetryBenchmark {
  /** {@code everySpan} as {@code ipc4j-otel}, {@code oneTraceInTen} as {@code ipc4j-otel-ratio}. */
  @Param({"everySpan", "oneTraceInTen"})
  public String sampling;

  private CallObserver client;
  private CallObserver server;
  private Tracer tracer;
  private DoubleHistogram duration;
  private LongHistogram size;
  private Attributes attributes;

  /** Builds the SDK, the observers and the instruments of {@link #sdkAlone} once. */
  @Setup(Level.Trial)
  public void setUp() {
    OpenTelemetry sdk = BenchTelemetry.sdk(sampling.equals("everySpan"));
    IpcTelemetry telemetry = IpcTelemetry.create(sdk);
    client = telemetry.client();
    server = telemetry.server();
    tracer = sdk.getTracer("bench-floor");
    Meter meter = sdk.getMeter("bench-floor");
    duration = meter.histogramBuilder("floor.duration").build();
    size = meter.histogramBuilder("floor.size").ofLongs().build();
    attributes = Attributes.of(AttributeKey.stringKey("rpc.service"), "bench",
        AttributeKey.stringKey("rpc.method"), "add");
  }

  /**
   * What the SDK alone charges for the same call, the floor of any instrumentation of both ends:
   * a client span and its server child started and ended, and three histogram recordings on each
   * end; no trace context written or read, no attributes on the spans, no calls in flight.
   */
  @Benchmark
  public void sdkAlone() {
    Span sent = tracer.spanBuilder("bench/add").setSpanKind(SpanKind.CLIENT).startSpan();
    Span served = tracer.spanBuilder("bench/add").setSpanKind(SpanKind.SERVER)
        .setParent(Context.root().with(sent)).startSpan();
    served.end();
    for (int end = 0; end < 2; end++) {
      duration.record(0.1, attributes, Context.root());
      size.record(24, attributes, Context.root());
      size.record(12, attributes, Context.root());
    }
    sent.end();
  }

  /**
   * One call observed on both ends, as the client and the server of a session observe it, its
   * trace context written into a session message and read out of it.
   */
  @Benchmark
  public void call() {
    CallMetadata metadata = new CallMetadata();
    CallObserver.Observation sent = client.start(new ObservedCall(CallObserver.Side.CLIENT,
        "bench", "add", false, "Session", 24, null, metadata));
    SessionRequest.Call.Builder message = SessionRequest.Call.newBuilder();
    metadata.writeTo(message);
    SessionRequest.Call received = message.build();
    CallObserver.Observation served = server.start(new ObservedCall(CallObserver.Side.SERVER,
        "bench", "add", false, "Session", 24, key -> CallMetadata.read(received, key), null));
    served.enter().close(); // around the method, which would run here
    served.end("OK", null, null, 12);
    sent.end("OK", null, null, 12);
  }
}
