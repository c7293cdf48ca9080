package dev.inflight.exporter.prometheusremotewrite;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.telemetry.ComponentTelemetry;
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
  static final String FAILED_TRANSLATIONS = "otelcol_exporter_prometheusremotewrite_failed_translations";
  static final String FAILED_TRANSLATIONS_DESCRIPTION =
      "Data points not sent because Prometheus would refuse them, by reason "
          + "(delta_temporality, missing_timestamp, out_of_order, unsupported_type, malformed)";
  static final String TRANSLATED_TIME_SERIES =
      "otelcol_exporter_prometheusremotewrite_translated_time_series";
  static final String TRANSLATED_TIME_SERIES_DESCRIPTION =
      "Time series of the batches sent (or refused for good)";
  static final String SENT_BATCHES = "otelcol_exporter_prometheusremotewrite_sent_batches";
  static final String SENT_BATCHES_DESCRIPTION = "Remote write requests Prometheus accepted (2xx)";

  private final Attributes attributes;
  private final ReasonAttributes reasons;
  private final LongCounter failedTranslations;
  private final LongCounter translatedTimeSeries;
  private final LongCounter sentBatches;

  PrometheusRemoteWriteExporterTelemetry(ComponentTelemetry telemetry) {
    Meter meter = telemetry.meter();
    attributes = telemetry.attributes();
    reasons = new ReasonAttributes(attributes);
    failedTranslations = meter.counterBuilder(FAILED_TRANSLATIONS).setUnit("{datapoints}")
        .setDescription(FAILED_TRANSLATIONS_DESCRIPTION).build();
    translatedTimeSeries = meter.counterBuilder(TRANSLATED_TIME_SERIES).setUnit("{series}")
        .setDescription(TRANSLATED_TIME_SERIES_DESCRIPTION).build();
    sentBatches = meter.counterBuilder(SENT_BATCHES).setUnit("{requests}")
        .setDescription(SENT_BATCHES_DESCRIPTION).build();
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
