package io.ipc4j.opentelemetry;

import io.ipc4j.core.CallObserver;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;

/**
 * OpenTelemetry metrics and traces for ipc4j calls, by object and method, whatever carries them
 * (a session, {@code Invoke}, {@code InvokeStream}, a oneway call). Every ipc4j call travels as
 * the same gRPC method, so stock gRPC instrumentation sees one method only; this sees the calls.
 *
 * <pre>{@code
 * IpcServer.builder().observe(IpcTelemetry.create(otel).server())
 * }</pre>
 *
 * <p>or, for a server and the clients of one process:
 *
 * <pre>{@code
 * IpcTelemetry telemetry = IpcTelemetry.create(otel);
 * IpcServer server = IpcServer.builder().observe(telemetry.server()).expose(impl).build();
 * IpcClient client = IpcClient.builder().observe(telemetry.client()).build();
 * }</pre>
 *
 * <p>Per call: a {@code SERVER} or {@code CLIENT} span named {@code object/method}, the W3C trace
 * context carried from client to server in the call's metadata, and the histograms {@code
 * rpc.server.duration} (ms), {@code rpc.server.request.size}, {@code rpc.server.response.size}
 * (bytes), the up-down counter {@code rpc.server.active_requests}, and their {@code rpc.client.*}
 * twins, under the instrumentation scope {@value #SCOPE}. docs/observability.md lists them with
 * their attributes.
 *
 * <p>Uses the OpenTelemetry API alone: the application chooses the SDK and exporters (or none:
 * with {@link OpenTelemetry#noop()} the observers do next to nothing).
 */
public final class IpcTelemetry {
  /** The instrumentation scope of every metric and span this records. */
  public static final String SCOPE = "io.ipc4j";

  private final CallObserver server;
  private final CallObserver client;

  private IpcTelemetry(OpenTelemetry otel) {
    String version = IpcTelemetry.class.getPackage().getImplementationVersion();
    this.server = new TelemetryObserver(otel, CallObserver.Side.SERVER, version);
    this.client = new TelemetryObserver(otel, CallObserver.Side.CLIENT, version);
  }

  /**
   * Telemetry that records to {@code otel}'s meter and tracer providers and carries trace context
   * with its text map propagator (W3C {@code traceparent} when it is the SDK's default).
   */
  public static IpcTelemetry create(OpenTelemetry otel) {
    Objects.requireNonNull(otel, "otel == null");
    return new IpcTelemetry(otel);
  }

  /** The observer for {@code IpcServer.Builder.observe}: server spans and {@code rpc.server.*}. */
  public CallObserver server() {
    return server;
  }

  /** The observer for {@code IpcClient.Builder.observe}: client spans and {@code rpc.client.*}. */
  public CallObserver client() {
    return client;
  }
}
