package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeMetricsTest {
  private static final Pattern METRICS =
      Pattern.compile(" - metrics on (http://127\\.0\\.0\\.1:[0-9]+/metrics) - ");

  @TempDir Path dir;

  @Test
  void metricsPortServesPrometheusTextByMethod() throws Exception {
    try (Serving serve = new Serving("--port", "0", "--metrics-port", "0", "--data-dir",
        dir.toString())) {
      Matcher url = METRICS.matcher(serve.line());
      assertTrue(url.find(), serve.line());
      assertTrue(serve.line().startsWith("ipc4j serving kodi-IPC ("), serve.line());
      String port = serve.port();
      for (int i = 0; i < 3; i++) {
        Cli.Result set = Cli.run("call", "set", "k" + i, "v", "cli", "false", "--port", port);
        assertEquals(0, set.exitCode(), set::toString);
      }
      Cli.Result missing = Cli.run("call", "get", "absent", "cli", "--port", port);
      assertEquals(1, missing.exitCode(), missing::toString);

      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url.group(1))).timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      String text = response.body();
      assertEquals(List.of("rpc_server_duration_milliseconds_count{otel_scope_name=\"io.ipc4j\","
          + "rpc_grpc_status_code=\"0\",rpc_method=\"set\",rpc_service=\"kodi-IPC\","
          + "rpc_system=\"ipc4j\"} 3"), lines(text, "rpc_server_duration_milliseconds_count{",
              "rpc_method=\"set\""), text);
      List<String> failed = lines(text, "rpc_server_duration_milliseconds_count{",
          "rpc_method=\"get\"");
      assertEquals(1, failed.size(), text);
      assertTrue(failed.get(0).contains("ipc4j_error_reason=\"REMOTE_EXCEPTION\""), text);
      assertEquals(List.of("rpc_server_active_requests{otel_scope_name=\"io.ipc4j\","
          + "rpc_method=\"set\",rpc_service=\"kodi-IPC\",rpc_system=\"ipc4j\"} 0.0"),
          lines(text, "rpc_server_active_requests{", "rpc_method=\"set\""), text);
      assertDashboardQueriesExist(text);
      assertTrue(text.lines().anyMatch(l -> l.startsWith("target_info{")
          && l.contains("service_name=\"kodi-IPC\"")), text);

      HttpResponse<byte[]> protobuf = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url.group(1))).timeout(Duration.ofSeconds(10))
              .header("Accept", "application/vnd.google.protobuf;"
                  + "proto=io.prometheus.client.MetricFamily;encoding=delimited")
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, protobuf.statusCode());
      assertTrue(protobuf.headers().firstValue("Content-Type").orElse("")
          .startsWith("application/vnd.google.protobuf"), protobuf.headers()::toString);
      assertEquals(0, serve.stop());
    }
  }

  /** The committed Grafana dashboard asks for series that /metrics has. */
  private static void assertDashboardQueriesExist(String text) throws IOException {
    String dashboard = Files.readString(Path.of("..", "docs", "grafana", "ipc4j-dashboard.json"));
    Matcher series = Pattern.compile("(rpc_[a-z_]+)\\{").matcher(dashboard);
    int found = 0;
    while (series.find()) {
      String name = series.group(1);
      assertTrue(text.lines().anyMatch(l -> l.startsWith(name + "{")), name + " not in\n" + text);
      found++;
    }
    assertTrue(found >= 5, "series in the dashboard: " + found);
    for (String label : List.of("rpc_service", "rpc_method", "rpc_grpc_status_code",
        "ipc4j_error_reason")) {
      assertTrue(dashboard.contains(label) && text.contains(label + "=\""), label);
    }
  }

  @Test
  void withoutMetricsPortTheLineIsUnchanged() throws Exception {
    try (Serving serve = new Serving("--port", "0", "--data-dir", dir.toString())) {
      assertTrue(serve.line().endsWith(":" + serve.port() + " - Ctrl-C to stop"), serve.line());
    }
  }

  @Test
  void takenMetricsPortIsOneLineAndExitsFour() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
      int port = taken.getLocalPort();
      Cli.Result r = Cli.run("serve", "--port", "0", "--metrics-port", String.valueOf(port),
          "--data-dir", dir.toString());
      assertEquals(new Cli.Result(4, "", "ipc: cannot serve metrics on 127.0.0.1:" + port
          + ": the port is taken (address already in use)\n"), r);
    }
  }

  @Test
  void metricsPortOutOfRangeIsAUsageError() {
    Cli.Result r = Cli.run("serve", "--port", "0", "--metrics-port", "70000", "--data-dir",
        dir.toString());
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ipc: --metrics-port 70000 is not a port: give 0 to 65535\n"),
        r::toString);
  }

  /**
   * The lines of {@code text} that start with {@code prefix} and contain {@code part}, without
   * the scope's version, which only a packaged jar has.
   */
  private static List<String> lines(String text, String prefix, String part) {
    return text.lines().filter(l -> l.startsWith(prefix) && l.contains(part))
        .map(l -> l.replaceFirst("otel_scope_version=\"[^\"]*\",", "")).toList();
  }
}
