package dev.inflight.exporter.prometheusremotewrite;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.SelfMetric;
import dev.inflight.component.telemetry.ReasonAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.Map;

/**
 * The {@code prometheusremotewrite} exporter's self-metrics, under the names the Collector's
 * (contrib) exporter has: {@link #FAILED_TRANSLATIONS}, {@link #TRANSLATED_TIME_SERIES}, {@link
 * #SENT_BATCHES}. Alert on failed translations: those points never reach Prometheus.
 */
final class PrometheusRemoteWriteExporterTelemetry {
  static final SelfMetric FAILED_TRANSLATIONS =
      new SelfMetric("otelcol_exporter_prometheusremotewrite_failed_translations", "{datapoints}",
          "Data points not sent because Prometheus would refuse them, by reason "
              + "(delta_temporality, missing_timestamp, out_of_order, unsupported_type, malformed)");
  static final SelfMetric TRANSLATED_TIME_SERIES =
      new SelfMetric("otelcol_exporter_prometheusremotewrite_translated_time_series", "{series}",
          "Time series of the batches sent (or refused for good)");
  static final SelfMetric SENT_BATCHES =
      new SelfMetric("otelcol_exporter_prometheusremotewrite_sent_batches", "{requests}",
          "Remote write requests Prometheus accepted (2xx)");

  private final Attributes attributes;
  private final ReasonAttributes reasons;
  private final LongCounter failedTranslations;
  private final LongCounter translatedTimeSeries;
  private final LongCounter sentBatches;

  PrometheusRemoteWriteExporterTelemetry(ComponentTelemetry telemetry) {
    Meter meter = telemetry.meter();
    attributes = telemetry.attributes();
    reasons = new ReasonAttributes(attributes);
    failedTranslations = FAILED_TRANSLATIONS.counter(meter);
    translatedTimeSeries = TRANSLATED_TIME_SERIES.counter(meter);
    sentBatches = SENT_BATCHES.counter(meter);
  }

  /** Records nothing: for tests that build the exporter without a service. */
  static PrometheusRemoteWriteExporterTelemetry noop() {
    return new PrometheusRemoteWriteExporterTelemetry(
        ComponentTelemetry.noop(ComponentKind.EXPORTER, ComponentId.of("prometheusremotewrite")));
  }

  /** One remote write request Prometheus accepted. */
  void sentBatch() {
    sentBatches.add(1, attributes);
  }

  /** A batch whose outcome is final: its series, and the points left out of it, by reason. */
  void translated(int series, Map<String, Long> failedByReason) {
    translatedTimeSeries.add(series, attributes);
    failedByReason.forEach((reason, n) -> failedTranslations.add(n, reasons.of(reason)));
  }
}
