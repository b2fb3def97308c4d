package io.ipc4j.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcNoSuchMethodException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import io.ipc4j.testkit.IpcExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Through a real server and client: what the observers record and how a trace continues. */
class IpcTelemetryEndToEndTest {
  private static final AttributeKey<String> RPC = AttributeKey.stringKey("ipc4j.rpc");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("ipc4j.error.reason");

  /** The exposed interface. */
  public interface Calc {
    int add(int a, int b);

    /** The id of the span current while the method runs. */
    String currentSpan();

    int fail();
  }

  /** Its implementation. */
  public static final class CalcImpl implements Calc {
    @Override
    public int add(int a, int b) {
      return a + b;
    }

    @Override
    public String currentSpan() {
      return Span.current().getSpanContext().getSpanId();
    }

    @Override
    public int fail() {
      throw new IllegalStateException("boom");
    }
  }

  private final BlockingQueue<SpanData> ended = new LinkedBlockingQueue<>();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(new Ended(ended)).build())
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
  private final IpcTelemetry telemetry = IpcTelemetry.create(otel);

  @RegisterExtension
  final IpcExtension ipc = IpcExtension.inProcess().expose("calc", new CalcImpl(), Calc.class)
      .configureServer(b -> b.observe(telemetry.server()))
      .configureClient(b -> b.observe(telemetry.client()));

  @AfterEach
  void closeSdk() {
    otel.close();
  }

  @Test
  void sessionCallIsOneTraceFromCallerThroughServer() throws Exception {
    Span app = otel.getTracer("app").spanBuilder("app").startSpan();
    try (Scope ignored = app.makeCurrent()) {
      assertEquals(5, ipc.proxy("calc", Calc.class).add(2, 3));
    }
    app.end();

    SpanData server = next(SpanKind.SERVER);
    SpanData client = next(SpanKind.CLIENT);
    assertEquals("calc/add", server.getName());
    assertEquals("calc/add", client.getName());
    assertEquals(app.getSpanContext().getSpanId(), client.getParentSpanId());
    assertEquals(client.getTraceId(), server.getTraceId());
    assertEquals(client.getSpanId(), server.getParentSpanId());
    assertEquals("Session", server.getAttributes().get(RPC));
    assertEquals("Session", client.getAttributes().get(RPC));

    Attributes labels = Attributes.builder().put("rpc.system", "ipc4j")
        .put("rpc.service", "calc").put("rpc.method", "add").put("rpc.grpc.status_code", 0L)
        .build();
    List<MetricData> all = List.copyOf(metrics.collectAllMetrics());
    assertEquals(1, point(all, "rpc.server.duration", labels).getCount());
    assertEquals(1, point(all, "rpc.client.duration", labels).getCount());
    assertTrue(point(all, "rpc.server.request.size", labels).getSum() > 0);
    assertTrue(point(all, "rpc.client.response.size", labels).getSum() > 0);
  }

  @Test
  void invokeCarriesTheTraceInHeaders() throws Exception {
    IpcClient invoke = ipc.newClient(b -> b.sessions(false));
    assertEquals(7, invoke.getExposedObject(Calc.class).add(3, 4));

    SpanData server = next(SpanKind.SERVER);
    SpanData client = next(SpanKind.CLIENT);
    assertEquals("Invoke", server.getAttributes().get(RPC));
    assertEquals(client.getSpanId(), server.getParentSpanId());
    assertEquals(client.getTraceId(), server.getTraceId());
  }

  @Test
  void aSessionCallsTraceContextTravelsInItsOwnFieldsOrInItsMetadata() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    ManagedChannel channel = InProcessChannelBuilder.forName(ipc.inProcessName()).build();
    try {
      BlockingQueue<SessionResponse> answers = new LinkedBlockingQueue<>();
      StreamObserver<SessionRequest> session = InvokeServiceGrpc.newStub(channel)
          .session(new StreamObserver<>() {
            @Override
            public void onNext(SessionResponse answer) {
              answers.add(answer);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          });
      // as ipc4j's client sends it: in the call's own fields
      session.onNext(currentSpan(1, call -> call
          .setTraceparent("00-" + traceId + "-00f067aa0ba902b7-01")
          .setTracestate("vendor=one")));
      SessionResponse first = answers.poll(10, TimeUnit.SECONDS);
      assertNotNull(first, "no answer to the call with trace context in its fields");
      SpanData viaFields = next(SpanKind.SERVER);
      assertEquals(traceId, viaFields.getTraceId());
      assertEquals("00f067aa0ba902b7", viaFields.getParentSpanId());
      assertEquals("one", viaFields.getSpanContext().getTraceState().get("vendor"));

      // as a client that puts every header in metadata sends it
      session.onNext(currentSpan(2, call -> call
          .putMetadata("traceparent", "00-" + traceId + "-00f067aa0ba902b8-01")));
      assertNotNull(answers.poll(10, TimeUnit.SECONDS), "no answer to the call with metadata");
      SpanData viaMetadata = next(SpanKind.SERVER);
      assertEquals(traceId, viaMetadata.getTraceId());
      assertEquals("00f067aa0ba902b8", viaMetadata.getParentSpanId());
      session.onCompleted();
    } finally {
      channel.shutdownNow();
    }
  }

  /** A session call of {@code calc.currentSpan()}, given its trace context by {@code with}. */
  private static SessionRequest currentSpan(long id,
      java.util.function.UnaryOperator<SessionRequest.Call.Builder> with) {
    return SessionRequest.newBuilder().setCall(with.apply(SessionRequest.Call.newBuilder()
        .setId(id).setRequest(InvokeRequest.newBuilder().setObject("calc")
            .setMethod("currentSpan")))).build();
  }

  @Test
  void theMethodRunsInTheServerSpan() throws Exception {
    String inside = ipc.proxy("calc", Calc.class).currentSpan();
    assertEquals(next(SpanKind.SERVER).getSpanId(), inside);
  }

  @Test
  void remoteExceptionIsAnErrorOnBothEndsWithoutStackTrace() throws Exception {
    assertThrows(IpcRemoteException.class, () -> ipc.proxy("calc", Calc.class).fail());

    SpanData server = next(SpanKind.SERVER);
    assertEquals(StatusCode.ERROR, server.getStatus().getStatusCode());
    assertEquals("REMOTE_EXCEPTION", server.getAttributes().get(REASON));
    assertEquals(Attributes.builder().put("exception.type", "java.lang.IllegalStateException")
        .put("exception.message", "boom").build(), exception(server).getAttributes());

    SpanData client = next(SpanKind.CLIENT);
    assertEquals(StatusCode.ERROR, client.getStatus().getStatusCode());
    assertEquals("REMOTE_EXCEPTION", client.getAttributes().get(REASON));
    EventData event = exception(client);
    assertEquals(IpcRemoteException.class.getName(),
        event.getAttributes().get(AttributeKey.stringKey("exception.type")));
    String message = event.getAttributes().get(AttributeKey.stringKey("exception.message"));
    assertNotNull(message);
    assertTrue(message.contains("java.lang.IllegalStateException: boom"), message);
    for (SpanData span : List.of(server, client)) {
      for (EventData e : span.getEvents()) {
        e.getAttributes().forEach((key, value) -> assertFalse(
            String.valueOf(value).contains("\tat ") || key.getKey().contains("stacktrace"),
            key + " = " + value));
      }
    }
  }

  @Test
  void aMethodTheServerHasNotIsUnknownThereAndNamedOnTheClient() throws Exception {
    assertThrows(IpcNoSuchMethodException.class,
        () -> ipc.client().getExposedObject().call("nope"));
    SpanData server = next(SpanKind.SERVER);
    assertEquals("calc/unknown", server.getName());
    assertEquals("NO_SUCH_METHOD", server.getAttributes().get(REASON));
    assertEquals("calc/nope", next(SpanKind.CLIENT).getName());
  }

  private static EventData exception(SpanData span) {
    List<EventData> events = span.getEvents().stream()
        .filter(e -> e.getName().equals("exception")).toList();
    assertEquals(1, events.size(), span::toString);
    return events.get(0);
  }

  /** The next span of {@code kind} to end; the server's may end after the client has its answer. */
  private SpanData next(SpanKind kind) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<SpanData> skipped = new java.util.ArrayList<>();
    try {
      while (System.nanoTime() < deadline) {
        SpanData span = ended.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (span == null) {
          break;
        }
        if (span.getKind() == kind) {
          return span;
        }
        skipped.add(span);
      }
      throw new AssertionError("no " + kind + " span ended; others: " + skipped);
    } finally {
      ended.addAll(skipped);
    }
  }

  private static HistogramPointData point(List<MetricData> all, String name, Attributes labels) {
    MetricData metric = all.stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + all));
    return metric.getHistogramData().getPoints().stream()
        .filter(p -> p.getAttributes().equals(labels)).findFirst()
        .orElseThrow(() -> new AssertionError(name + " has no " + labels + ": "
            + metric.getHistogramData().getPoints()));
  }

  /** Hands each span that ends to the test. */
  private static final class Ended implements SpanProcessor {
    private final BlockingQueue<SpanData> ended;

    Ended(BlockingQueue<SpanData> ended) {
      this.ended = ended;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ended.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }
}
