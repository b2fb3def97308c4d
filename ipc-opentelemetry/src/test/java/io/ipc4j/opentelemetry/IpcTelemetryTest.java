package io.ipc4j.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.core.CallObserver;
import io.ipc4j.core.CallObserver.Call;
import io.ipc4j.core.CallObserver.Observation;
import io.ipc4j.core.CallObserver.Scope;
import io.ipc4j.core.CallObserver.Side;
import io.ipc4j.core.ErrorReason;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IpcTelemetryTest {
  @RegisterExtension static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("rpc.system");
  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("rpc.service");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("rpc.method");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("rpc.grpc.status_code");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("ipc4j.error.reason");
  private static final AttributeKey<String> RPC = AttributeKey.stringKey("ipc4j.rpc");
  private static final AttributeKey<Boolean> ONEWAY = AttributeKey.booleanKey("ipc4j.oneway");

  private IpcTelemetry telemetry;

  /** After the extension has reset its meters, which drops the instruments made before. */
  @BeforeEach
  void createTelemetry() {
    telemetry = IpcTelemetry.create(otel.getOpenTelemetry());
  }

  @Test
  void aServerSpanStartsWhenTheCallArrivedThoughTheCallRunsLater() {
    long arrived = epochNanos();
    Observation observation = telemetry.server().start(
        new FakeCall(Side.SERVER, "calc", "add", false, "Session", 12));
    long waited = System.nanoTime() + 5_000_000; // the call waits 5 ms for a thread
    while (System.nanoTime() < waited) {
      Thread.onSpinWait();
    }
    long runs = epochNanos();
    try (Scope ignored = observation.enter()) {
      assertEquals("calc/add", ((io.opentelemetry.sdk.trace.ReadableSpan) Span.current())
          .getName(), "the span is current while the method runs");
    }
    observation.end("OK", null, null, 7);

    SpanData server = span("calc/add");
    assertTrue(server.getStartEpochNanos() >= arrived - 1_000_000
        && server.getStartEpochNanos() < runs - 4_000_000,
        () -> "started " + server.getStartEpochNanos() + ", arrived " + arrived + ", ran " + runs);
    assertTrue(histogram("rpc.server.duration", labels("calc", "add", 0, null)).getSum() >= 5.0,
        "the duration counts the wait too");
  }

  private static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Test
  void successIsAServerSpanAndMetricsByObjectAndMethod() {
    FakeCall call = new FakeCall(Side.SERVER, "calc", "add", false, "Invoke", 12);
    Observation observation = telemetry.server().start(call);
    assertEquals(1, activeCalls("rpc.server.active_requests", "calc", "add"));
    try (Scope ignored = observation.enter()) {
      Span inside = otel.getOpenTelemetry().getTracer("app").spanBuilder("inside").startSpan();
      inside.end();
    }
    observation.end("OK", null, null, 7);

    SpanData server = span("calc/add");
    assertEquals(SpanKind.SERVER, server.getKind());
    assertEquals(Attributes.builder().put(SYSTEM, "ipc4j").put(SERVICE, "calc").put(METHOD, "add")
        .put(RPC, "Invoke").put(STATUS, 0L).build().asMap(), server.getAttributes().asMap());
    assertEquals(StatusCode.UNSET, server.getStatus().getStatusCode());
    assertFalse(server.getParentSpanContext().isValid(), "no trace context came with the call");
    SpanData inside = span("inside");
    assertEquals(server.getSpanId(), inside.getParentSpanId(), "work in the method is a child");
    assertEquals(server.getTraceId(), inside.getTraceId());

    Attributes ok = labels("calc", "add", 0, null);
    HistogramPointData duration = histogram("rpc.server.duration", ok);
    assertEquals(1, duration.getCount());
    assertTrue(duration.getSum() >= 0, "duration " + duration.getSum());
    assertEquals("ms", metric("rpc.server.duration").getUnit());
    assertEquals(12.0, histogram("rpc.server.request.size", ok).getSum());
    assertEquals(7.0, histogram("rpc.server.response.size", ok).getSum());
    assertEquals("By", metric("rpc.server.request.size").getUnit());
    assertEquals(0, activeCalls("rpc.server.active_requests", "calc", "add"));
    assertEquals("io.ipc4j", metric("rpc.server.duration").getInstrumentationScopeInfo().getName());
    assertEquals(
        List.of("rpc.server.active_requests", "rpc.server.duration", "rpc.server.request.size",
            "rpc.server.response.size"),
        otel.getMetrics().stream().map(MetricData::getName).sorted().toList());
  }

  @Test
  void remoteExceptionIsAnErrorWithTypeAndMessageButNoStackTrace() {
    FakeCall call = new FakeCall(Side.SERVER, "calc", "divide", false, "Session", 20);
    Observation observation = telemetry.server().start(call);
    observation.end("UNKNOWN", ErrorReason.REMOTE_EXCEPTION,
        new ArithmeticException("/ by zero"), 0);

    SpanData server = span("calc/divide");
    assertEquals(StatusCode.ERROR, server.getStatus().getStatusCode());
    assertEquals("UNKNOWN", server.getStatus().getDescription());
    assertEquals(2L, server.getAttributes().get(STATUS));
    assertEquals("REMOTE_EXCEPTION", server.getAttributes().get(REASON));
    assertEquals(1, server.getEvents().size(), server.getEvents()::toString);
    EventData event = server.getEvents().get(0);
    assertEquals("exception", event.getName());
    assertEquals(Attributes.builder().put("exception.type", "java.lang.ArithmeticException")
        .put("exception.message", "/ by zero").build(), event.getAttributes());
    assertNoStackTrace(server);

    Attributes failed = labels("calc", "divide", 2, "REMOTE_EXCEPTION");
    assertEquals(1, histogram("rpc.server.duration", failed).getCount());
    assertEquals(0.0, histogram("rpc.server.response.size", failed).getSum());
  }

  @Test
  void unknownMethodIsCountedUnderTheServersName() {
    Observation observation = telemetry.server()
        .start(new FakeCall(Side.SERVER, "calc", Call.UNKNOWN, false, "Session", 5));
    observation.end("UNIMPLEMENTED", ErrorReason.NO_SUCH_METHOD, null, 0);

    SpanData server = span("calc/unknown");
    assertEquals("NO_SUCH_METHOD", server.getAttributes().get(REASON));
    assertEquals(12L, server.getAttributes().get(STATUS));
    assertEquals(StatusCode.ERROR, server.getStatus().getStatusCode());
    assertEquals(List.of(), server.getEvents(), "nothing was thrown");
    assertEquals(1, histogram("rpc.server.duration",
        labels("calc", "unknown", 12, "NO_SUCH_METHOD")).getCount());
  }

  @Test
  void cancelledCallHasItsStatusAndNoReason() {
    Observation observation = telemetry.client()
        .start(new FakeCall(Side.CLIENT, "calc", "slow", false, "Session", 9));
    observation.end("CANCELLED", null, null, 0);

    SpanData client = span("calc/slow");
    assertEquals(SpanKind.CLIENT, client.getKind());
    assertEquals(1L, client.getAttributes().get(STATUS));
    assertNull(client.getAttributes().get(REASON));
    assertEquals(StatusCode.ERROR, client.getStatus().getStatusCode());
    assertEquals("CANCELLED", client.getStatus().getDescription());
    assertEquals(1, histogram("rpc.client.duration", labels("calc", "slow", 1, null)).getCount());
    assertEquals(0, activeCalls("rpc.client.active_requests", "calc", "slow"));
  }

  @Test
  void onewaySessionCallHasNoResponseSize() {
    Observation observation = telemetry.server()
        .start(new FakeCall(Side.SERVER, "log", "write", true, "Session", 30));
    observation.end("OK", null, null, 0);

    SpanData server = span("log/write");
    assertEquals("Session", server.getAttributes().get(RPC));
    assertEquals(true, server.getAttributes().get(ONEWAY));
    Attributes ok = labels("log", "write", 0, null);
    assertEquals(30.0, histogram("rpc.server.request.size", ok).getSum());
    assertNull(metricOrNull("rpc.server.response.size"), "a oneway call has no answer");
  }

  @Test
  void traceContextTravelsFromClientToServerInTheCallsMetadata() {
    Span app = otel.getOpenTelemetry().getTracer("app").spanBuilder("app").startSpan();
    FakeCall sent = new FakeCall(Side.CLIENT, "calc", "add", false, "Session", 12);
    Observation client;
    try (var ignored = app.makeCurrent()) {
      client = telemetry.client().start(sent);
    }
    assertEquals(List.of("traceparent"), List.copyOf(sent.metadata.keySet()));

    FakeCall received = new FakeCall(Side.SERVER, "calc", "add", false, "Session", 12);
    received.metadata.putAll(sent.metadata);
    Observation server = telemetry.server().start(received);
    server.end("OK", null, null, 3);
    client.end("OK", null, null, 3);
    app.end();

    SpanData clientSpan = spans(SpanKind.CLIENT);
    SpanData serverSpan = spans(SpanKind.SERVER);
    assertEquals("calc/add", clientSpan.getName());
    assertEquals("calc/add", serverSpan.getName());
    assertEquals(app.getSpanContext().getSpanId(), clientSpan.getParentSpanId());
    assertEquals(clientSpan.getTraceId(), serverSpan.getTraceId());
    assertEquals(clientSpan.getSpanId(), serverSpan.getParentSpanId());
    assertTrue(serverSpan.getParentSpanContext().isRemote());
    assertEquals("00-" + clientSpan.getTraceId() + "-" + clientSpan.getSpanId() + "-"
        + clientSpan.getSpanContext().getTraceFlags().asHex(),
        sent.metadata.get("traceparent"));
  }

  @Test
  void clientMeasurementsBelongToTheCallersSpanAndServerOnesToNone() {
    Span app = otel.getOpenTelemetry().getTracer("app").spanBuilder("app").startSpan();
    Observation client;
    try (var ignored = app.makeCurrent()) {
      client = telemetry.client()
          .start(new FakeCall(Side.CLIENT, "calc", "add", false, "Session", 1));
    }
    client.end("OK", null, null, 1); // on another thread, as an asynchronous call may end
    Observation server = telemetry.server()
        .start(new FakeCall(Side.SERVER, "calc", "add", false, "Session", 1));
    try (Scope ignored = server.enter()) {
      server.end("OK", null, null, 1);
    }
    app.end();

    Attributes ok = labels("calc", "add", 0, null);
    List<DoubleExemplarData> exemplars = histogram("rpc.client.duration", ok).getExemplars();
    assertEquals(1, exemplars.size(), exemplars::toString);
    assertEquals(app.getSpanContext().getSpanId(), exemplars.get(0).getSpanContext().getSpanId());
    assertEquals(List.of(), histogram("rpc.server.duration", ok).getExemplars());
  }

  @Test
  void serverIgnoresWhatIsCurrentOnItsThread() {
    Span stray = otel.getOpenTelemetry().getTracer("app").spanBuilder("stray").startSpan();
    Observation server;
    try (var ignored = stray.makeCurrent()) {
      server = telemetry.server().start(new FakeCall(Side.SERVER, "calc", "add", false, "Invoke",
          1));
    }
    server.end("OK", null, null, 1);
    stray.end();
    assertFalse(span("calc/add").getParentSpanContext().isValid(), "a server span is a root");
  }

  @Test
  void enterRestoresWhatWasCurrent() {
    Observation observation = telemetry.server()
        .start(new FakeCall(Side.SERVER, "calc", "add", false, "Invoke", 1));
    Context before = Context.current();
    try (Scope ignored = observation.enter()) {
      assertEquals("calc/add", ((io.opentelemetry.sdk.trace.ReadableSpan) Span.current())
          .getName());
    }
    assertSame(before, Context.current());
    observation.end("OK", null, null, 1);
  }

  @Test
  void aStatusNameGrpcDoesNotKnowCountsAsUnknown() {
    telemetry.client().start(new FakeCall(Side.CLIENT, "calc", "add", false, "Invoke", 1))
        .end("NOT_A_CODE", null, null, 0);
    assertEquals(2L, span("calc/add").getAttributes().get(STATUS));
  }

  @Test
  void methodAttributesAreCachedUpToALimit() {
    TelemetryObserver observer = (TelemetryObserver) telemetry.client();
    for (int i = 0; i < MethodCache.LIMIT + 10; i++) {
      observer.start(new FakeCall(Side.CLIENT, "o", "m" + i, false, "Invoke", 1))
          .end("OK", null, null, 1);
    }
    assertEquals(MethodCache.LIMIT, observer.methods().size());
    MethodCache cache = observer.methods();
    assertSame(cache.get("o", "m1"), cache.get("o", "m1"));
    MethodAttributes past = cache.get("o", "m" + (MethodCache.LIMIT + 5));
    assertEquals("o/m" + (MethodCache.LIMIT + 5), past.spanName);
    assertEquals(MethodCache.LIMIT, cache.size());
    assertSame(past.ended(2, ErrorReason.REMOTE_EXCEPTION),
        past.ended(2, ErrorReason.REMOTE_EXCEPTION), "attributes of one ending are made once");
  }

  @Test
  void callsInFlightOfMethodsPastTheLimitAreCountedTogetherAsTheSdksOverflow() {
    CallObserver client = telemetry.client();
    for (int i = 0; i < MethodCache.LIMIT; i++) {
      client.start(new FakeCall(Side.CLIENT, "o", "m" + i, false, "Invoke", 1))
          .end("OK", null, null, 1);
    }
    Observation cached = client.start(new FakeCall(Side.CLIENT, "o", "m0", false, "Invoke", 1));
    Observation past1 = client.start(new FakeCall(Side.CLIENT, "o", "x1", false, "Invoke", 1));
    Observation past2 = client.start(new FakeCall(Side.CLIENT, "o", "x2", false, "Invoke", 1));
    assertEquals(1, activeCalls("rpc.client.active_requests", "o", "m0"));
    assertEquals(2, activeCalls("rpc.client.active_requests", TelemetryObserver.OVERFLOW));

    past1.end("OK", null, null, 1);
    assertEquals(1, activeCalls("rpc.client.active_requests", TelemetryObserver.OVERFLOW));
    past2.end("CANCELLED", null, null, 0);
    cached.end("OK", null, null, 1);
    assertEquals(0, activeCalls("rpc.client.active_requests", TelemetryObserver.OVERFLOW));
    assertEquals(0, activeCalls("rpc.client.active_requests", "o", "m0"));
    assertEquals(0, activeCalls("rpc.client.active_requests", "o", "m1"));
  }

  @Test
  void callsInFlightOfSeveralClientsOnOneOpenTelemetryAddUp() {
    // as a process with two clients, each given its own IpcTelemetry, sees them
    CallObserver one = telemetry.client();
    CallObserver two = IpcTelemetry.create(otel.getOpenTelemetry()).client();
    Observation first = one.start(new FakeCall(Side.CLIENT, "calc", "add", false, "Session", 1));
    Observation second = two.start(new FakeCall(Side.CLIENT, "calc", "add", false, "Session", 1));
    Observation third = two.start(new FakeCall(Side.CLIENT, "calc", "add", false, "Session", 1));
    assertEquals(3, activeCalls("rpc.client.active_requests", "calc", "add"));
    second.end("OK", null, null, 1);
    assertEquals(2, activeCalls("rpc.client.active_requests", "calc", "add"));
    first.end("OK", null, null, 1);
    third.end("OK", null, null, 1);
    assertEquals(0, activeCalls("rpc.client.active_requests", "calc", "add"));
  }

  @Test
  void cachedAttributesKeepEachMethodAndEndingApart() {
    CallObserver client = telemetry.client();
    for (String method : List.of("add", "sub", "add", "sub", "add")) {
      client.start(new FakeCall(Side.CLIENT, "calc", method, false, "Session", 1))
          .end("OK", null, null, 1);
    }
    client.start(new FakeCall(Side.CLIENT, "calc", "add", false, "Session", 1))
        .end("NOT_FOUND", ErrorReason.NO_SUCH_OBJECT, null, 0);
    client.start(new FakeCall(Side.CLIENT, "calc", "add", false, "Invoke", 1))
        .end("NOT_FOUND", null, null, 0);
    client.start(new FakeCall(Side.CLIENT, "calc", "add", false, "Session", 1))
        .end("UNAVAILABLE", null, null, 0);
    client.start(new FakeCall(Side.CLIENT, "calc", "sub", false, "Session", 1))
        .end("NOT_FOUND", ErrorReason.NO_SUCH_OBJECT, null, 0);
    client.start(new FakeCall(Side.CLIENT, "text", "add", false, "Session", 1))
        .end("OK", null, null, 1);

    assertEquals(3, histogram("rpc.client.duration", labels("calc", "add", 0, null)).getCount());
    assertEquals(2, histogram("rpc.client.duration", labels("calc", "sub", 0, null)).getCount());
    assertEquals(1, histogram("rpc.client.duration", labels("text", "add", 0, null)).getCount());
    assertEquals(1, histogram("rpc.client.duration",
        labels("calc", "add", 5, "NO_SUCH_OBJECT")).getCount());
    assertEquals(1, histogram("rpc.client.duration", labels("calc", "add", 5, null)).getCount());
    assertEquals(1, histogram("rpc.client.duration", labels("calc", "add", 14, null)).getCount());
    assertEquals(1, histogram("rpc.client.duration",
        labels("calc", "sub", 5, "NO_SUCH_OBJECT")).getCount());
    assertEquals(7, metric("rpc.client.duration").getHistogramData().getPoints().size());

    Map<String, Long> spans = new java.util.TreeMap<>();
    for (SpanData span : otel.getSpans()) {
      Attributes a = span.getAttributes();
      assertEquals(a.get(SERVICE) + "/" + a.get(METHOD), span.getName());
      spans.merge(span.getName() + " " + a.get(RPC) + " " + a.get(STATUS) + " " + a.get(REASON),
          1L, Long::sum);
    }
    assertEquals(Map.of("calc/add Session 0 null", 3L, "calc/sub Session 0 null", 2L,
        "text/add Session 0 null", 1L, "calc/add Session 5 NO_SUCH_OBJECT", 1L,
        "calc/add Invoke 5 null", 1L, "calc/add Session 14 null", 1L,
        "calc/sub Session 5 NO_SUCH_OBJECT", 1L), spans);
  }

  @Test
  void noopOpenTelemetryCarriesNothingAndRecordsNothing() {
    IpcTelemetry noop = IpcTelemetry.create(OpenTelemetry.noop());
    FakeCall call = new FakeCall(Side.CLIENT, "calc", "add", false, "Session", 1);
    Observation observation = noop.client().start(call);
    try (Scope ignored = observation.enter()) {
      assertFalse(Span.current().getSpanContext().isValid());
    }
    observation.end("UNKNOWN", ErrorReason.REMOTE_EXCEPTION, new IllegalStateException("x"), 0);
    assertEquals(Map.of(), call.metadata);
    assertEquals(List.of(), otel.getSpans());
  }

  @Test
  void createRejectsNull() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> IpcTelemetry.create(null));
    assertEquals("otel == null", e.getMessage());
  }

  @Test
  void serverAndClientAreOneObserverEach() {
    assertSame(telemetry.server(), telemetry.server());
    assertSame(telemetry.client(), telemetry.client());
    assertTrue(telemetry.server() != telemetry.client());
  }

  private static void assertNoStackTrace(SpanData span) {
    assertNull(span.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")));
    for (EventData event : span.getEvents()) {
      assertNull(event.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")),
          event::toString);
      event.getAttributes().forEach((key, value) -> assertFalse(
          String.valueOf(value).contains("\tat "), key + " holds a stack trace: " + value));
    }
  }

  private static Attributes labels(String object, String method, long status, String reason) {
    var builder = Attributes.builder().put(SYSTEM, "ipc4j").put(SERVICE, object)
        .put(METHOD, method).put(STATUS, status);
    if (reason != null) {
      builder.put(REASON, reason);
    }
    return builder.build();
  }

  private static SpanData span(String name) {
    List<SpanData> found = otel.getSpans().stream().filter(s -> s.getName().equals(name))
        .toList();
    assertEquals(1, found.size(), () -> "spans named " + name + ": " + otel.getSpans());
    return found.get(0);
  }

  private static SpanData spans(SpanKind kind) {
    List<SpanData> found = otel.getSpans().stream().filter(s -> s.getKind() == kind).toList();
    assertEquals(1, found.size(), () -> kind + " spans: " + otel.getSpans());
    return found.get(0);
  }

  private static MetricData metricOrNull(String name) {
    return otel.getMetrics().stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElse(null);
  }

  private static MetricData metric(String name) {
    MetricData metric = metricOrNull(name);
    assertTrue(metric != null, () -> "no metric " + name + " in " + otel.getMetrics());
    return metric;
  }

  private static HistogramPointData histogram(String name, Attributes attributes) {
    MetricData metric = metric(name);
    List<HistogramPointData> points = metric.getHistogramData().getPoints().stream()
        .filter(p -> p.getAttributes().equals(attributes)).toList();
    assertEquals(1, points.size(), () -> name + " points: " + metric.getHistogramData()
        .getPoints());
    return points.get(0);
  }

  private static long activeCalls(String name, String object, String method) {
    return activeCalls(name, Attributes.builder().put(SYSTEM, "ipc4j").put(SERVICE, object)
        .put(METHOD, method).build());
  }

  private static long activeCalls(String name, Attributes attributes) {
    MetricData metric = metric(name);
    List<LongPointData> points = metric.getLongSumData().getPoints().stream()
        .filter(p -> p.getAttributes().equals(attributes)).toList();
    assertEquals(1, points.size(), () -> name + " points: " + metric.getLongSumData()
        .getPoints());
    return points.get(0).getValue();
  }

  /** A call as the server or client would hand it to an observer. */
  static final class FakeCall implements Call {
    final Map<String, String> metadata = new LinkedHashMap<>();
    private final Side side;
    private final String object;
    private final String method;
    private final boolean oneway;
    private final String rpc;
    private final long requestBytes;

    FakeCall(Side side, String object, String method, boolean oneway, String rpc,
        long requestBytes) {
      this.side = side;
      this.object = object;
      this.method = method;
      this.oneway = oneway;
      this.rpc = rpc;
      this.requestBytes = requestBytes;
    }

    @Override
    public Side side() {
      return side;
    }

    @Override
    public String object() {
      return object;
    }

    @Override
    public String method() {
      return method;
    }

    @Override
    public boolean oneway() {
      return oneway;
    }

    @Override
    public String rpc() {
      return rpc;
    }

    @Override
    public long requestBytes() {
      return requestBytes;
    }

    @Override
    public String metadata(String key) {
      return side == CallObserver.Side.SERVER ? metadata.get(key) : null;
    }

    @Override
    public void putMetadata(String key, String value) {
      if (side == CallObserver.Side.CLIENT) {
        metadata.put(key, value);
      }
    }
  }
}
