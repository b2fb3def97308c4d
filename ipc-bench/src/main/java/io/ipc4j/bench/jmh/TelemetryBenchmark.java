package io.ipc4j.bench.jmh;

import io.ipc4j.bench.BenchTelemetry;
import io.ipc4j.core.CallObserver;
import io.ipc4j.core.internal.CallMetadata;
import io.ipc4j.core.internal.ObservedCall;
import io.ipc4j.opentelemetry.IpcTelemetry;
import io.ipc4j.proto.v1.SessionRequest;
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

  /** Builds the SDK and the observers once. */
  @Setup(Level.Trial)
  public void setUp() {
    IpcTelemetry telemetry = sampling.equals("everySpan") ? BenchTelemetry.everySpan()
        : BenchTelemetry.oneTraceInTen();
    client = telemetry.client();
    server = telemetry.server();
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
