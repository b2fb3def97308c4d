package io.ipc4j.cli;

import io.ipc4j.core.CallObserver;
import io.ipc4j.opentelemetry.IpcTelemetry;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The metrics and traces of {@code ipc serve}: the OpenTelemetry SDK, configured by the standard
 * {@code OTEL_*} variables (nothing exported unless they say so), and with {@code --metrics-port}
 * a Prometheus endpoint on {@code /metrics}. Off, and free, when neither is asked for.
 */
final class ServeTelemetry implements AutoCloseable {
  /** The variables that turn an exporter on; the others only configure one. */
  private static final String[] EXPORTERS = {
      "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER"};

  private final OpenTelemetrySdk sdk;
  private final PrometheusMetricReader prometheus;
  private HTTPServer http;
  private boolean closed;

  private ServeTelemetry(OpenTelemetrySdk sdk, PrometheusMetricReader prometheus) {
    this.sdk = sdk;
    this.prometheus = prometheus;
  }

  /**
   * The SDK when {@code metrics} ({@code --metrics-port}) or an exporter variable in {@code env}
   * asks for it, named {@code service} unless {@code OTEL_SERVICE_NAME} says otherwise.
   *
   * @throws IllegalArgumentException naming what is wrong in the {@code OTEL_*} settings
   */
  static ServeTelemetry create(boolean metrics, Map<String, String> env,
      Supplier<String> service) {
    if (!metrics && !exportsAsked(env)) {
      return new ServeTelemetry(null, null);
    }
    PrometheusMetricReader reader = metrics ? PrometheusMetricReader.builder().build() : null;
    try {
      OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
          // defaults that OTEL_* variables and otel.* system properties override
          .addPropertiesSupplier(() -> defaults(env, service.get()))
          .addMeterProviderCustomizer((provider, config) ->
              reader == null ? provider : provider.registerMetricReader(reader))
          .disableShutdownHook()
          .build()
          .getOpenTelemetrySdk();
      return new ServeTelemetry(sdk, reader);
    } catch (ConfigurationException e) {
      // the SDK wraps what it cannot build in "Unexpected configuration error"
      String message = e.getCause() == null ? e.getMessage()
          : e.getMessage() + ": " + CallFailures.rootMessage(e.getCause());
      throw new IllegalArgumentException("OpenTelemetry settings (OTEL_* variables): " + message,
          e);
    }
  }

  /**
   * What the SDK reads unless the real {@code OTEL_*} variables or {@code otel.*} system
   * properties say otherwise: nothing exported, OTLP over HTTP (the JDK's client sends it), and
   * {@code env}'s {@code OTEL_*} entries, which are the real variables but in tests.
   */
  private static Map<String, String> defaults(Map<String, String> env, String service) {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.service.name", service);
    properties.put("otel.traces.exporter", "none");
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    properties.put("otel.exporter.otlp.protocol", "http/protobuf");
    env.forEach((name, value) -> {
      if (name.startsWith("OTEL_")) {
        properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    return properties;
  }

  private static boolean exportsAsked(Map<String, String> env) {
    for (String name : EXPORTERS) {
      String value = env.get(name);
      if (value != null && !value.isBlank() && !value.trim().equals("none")) {
        return true;
      }
    }
    return false;
  }

  /** The server's observer, or null when telemetry is off. */
  CallObserver observer() {
    return sdk == null ? null : IpcTelemetry.create(sdk).server();
  }

  /**
   * Serves {@code /metrics} on {@code host:port} (0 = any free port), if {@code --metrics-port}
   * asked for it.
   *
   * @return the port bound, or -1 when there is no endpoint
   */
  int serveMetrics(String host, int port) throws IOException {
    if (prometheus == null) {
      return -1;
    }
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(prometheus);
    http = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
    return http.getPort();
  }

  /** Stops the endpoint and flushes what the exporters still hold. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (http != null) {
      http.close();
    }
    if (sdk != null) {
      sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
