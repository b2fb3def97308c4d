package io.ipc4j.bench;

import io.ipc4j.opentelemetry.IpcTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.OpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Collection;

/**
 * The OpenTelemetry of the {@code ipc4j-otel} systems: the SDK as a user would run it, spans
 * batched, metrics read every 10 s, both exported to nowhere, so that the benchmark measures what
 * recording costs and nothing of a collector. {@link #everySpan()} samples every span; {@link
 * #oneTraceInTen()} samples as production setups often do, keeping one trace in ten.
 */
public final class BenchTelemetry {
  /**
   * The system property that keeps one part of the SDK only, to tell what each costs: {@code
   * metrics} (no tracer provider) or {@code traces} (no meter provider); both when unset. Pass it
   * with {@code ipc-bench/run --jvm-arg -Dipc4j.bench.otel=metrics}.
   */
  static final String PARTS = "ipc4j.bench.otel";

  private BenchTelemetry() {}

  /** Every span sampled ({@code ipc4j-otel}); one per JVM, as each JVM runs one system. */
  public static IpcTelemetry everySpan() {
    return IpcTelemetry.create(sdk(Sampler.alwaysOn()));
  }

  /** The SDK of {@link #everySpan()} ({@code true}) or {@link #oneTraceInTen()}. */
  public static OpenTelemetry sdk(boolean everySpan) {
    return sdk(everySpan ? Sampler.alwaysOn()
        : Sampler.parentBased(Sampler.traceIdRatioBased(0.1)));
  }

  /**
   * One trace in ten sampled at its root, the others follow their parent ({@code
   * ipc4j-otel-ratio}): {@code Sampler.parentBased(Sampler.traceIdRatioBased(0.1))}, what {@code
   * OTEL_TRACES_SAMPLER=parentbased_traceidratio} with {@code OTEL_TRACES_SAMPLER_ARG=0.1} sets.
   */
  public static IpcTelemetry oneTraceInTen() {
    return IpcTelemetry.create(sdk(Sampler.parentBased(Sampler.traceIdRatioBased(0.1))));
  }

  private static OpenTelemetry sdk(Sampler sampler) {
    MetricExporter metrics = new MetricExporter() {
      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType type) {
        return AggregationTemporality.CUMULATIVE;
      }

      @Override
      public CompletableResultCode export(Collection<MetricData> data) {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    SpanExporter spans = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> data) {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    String parts = System.getProperty(PARTS, "both");
    OpenTelemetrySdkBuilder sdk = OpenTelemetrySdk.builder()
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
    if (!parts.equals("traces")) {
      sdk.setMeterProvider(SdkMeterProvider.builder().registerMetricReader(
          PeriodicMetricReader.builder(metrics).setInterval(Duration.ofSeconds(10)).build())
          .build());
    }
    if (!parts.equals("metrics")) {
      sdk.setTracerProvider(SdkTracerProvider.builder().setSampler(sampler)
          .addSpanProcessor(BatchSpanProcessor.builder(spans).build()).build());
    }
    return sdk.build();
  }
}
