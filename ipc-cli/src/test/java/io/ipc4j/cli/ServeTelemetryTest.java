package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.ipc4j.core.CallObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ServeTelemetryTest {
  @Test
  void offUnlessMetricsOrAnExporterIsAsked() {
    try (ServeTelemetry off = ServeTelemetry.create(false,
        Map.of("OTEL_SERVICE_NAME", "x", "OTEL_TRACES_EXPORTER", "none"), () -> "svc")) {
      assertNull(off.observer());
    }
  }

  @Test
  void otlpTracesExporterSendsSpansOverHttp() throws Exception {
    List<String> posts = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext("/", exchange -> {
      posts.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("Content-Type"));
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.start();
    try {
      String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
      try (ServeTelemetry telemetry = ServeTelemetry.create(false, Map.of(
          "OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint), () -> "svc")) {
        CallObserver observer = telemetry.observer();
        observer.start(new Call()).end("OK", null, null, 1);
      } // closing flushes the batch
      assertEquals(List.of("POST /v1/traces application/x-protobuf"), posts);
    } finally {
      collector.stop(0);
    }
  }

  @Test
  void badOtelSettingIsAUsageErrorNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServeTelemetry.create(false, Map.of("OTEL_TRACES_EXPORTER", "carrier-pigeon"),
            () -> "svc"));
    assertEquals("OpenTelemetry settings (OTEL_* variables): Unrecognized value for "
        + "otel.traces.exporter: carrier-pigeon", e.getMessage());
  }

  @Test
  void otlpOverGrpcIsAUsageErrorNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServeTelemetry.create(false, Map.of("OTEL_TRACES_EXPORTER", "otlp",
            "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), () -> "svc"));
    assertEquals("OpenTelemetry settings (OTEL_* variables): Unexpected configuration error: No"
        + " GrpcSenderProvider found on classpath. Please add dependency on"
        + " opentelemetry-exporter-sender-okhttp or"
        + " opentelemetry-exporter-sender-grpc-managed-channel", e.getMessage());
  }

  /** A call as a server hands it to its observer. */
  private static final class Call implements CallObserver.Call {
    @Override
    public CallObserver.Side side() {
      return CallObserver.Side.SERVER;
    }

    @Override
    public String object() {
      return "kodi-IPC";
    }

    @Override
    public String method() {
      return "get";
    }

    @Override
    public boolean oneway() {
      return false;
    }

    @Override
    public String rpc() {
      return "Session";
    }

    @Override
    public long requestBytes() {
      return 1;
    }

    @Override
    public String metadata(String key) {
      return null;
    }

    @Override
    public void putMetadata(String key, String value) {}
  }
}
