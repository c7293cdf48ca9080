package dev.inflight.processor.attributes;

import dev.inflight.component.LogsConsumer;
import dev.inflight.component.LogsProcessor;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesProcessor;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.MalformedDataException;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.processor.internal.attraction.Attraction;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Applies the configured actions to the attributes of every selected span, log record or metric
 * data point, in the order they come. The request is decoded; only when an action changed
 * something is a new one built, so a batch nothing is selected in (or nothing changes in) is handed
 * on as the same object, its bytes not re-encoded. Holds nothing, so start and shutdown have
 * nothing to do.
 */
public final class AttributesProcessor {
  private AttributesProcessor() {}

  /** The actions and the compiled include/exclude of one signal. */
  private record Selection(Attraction actions, @Nullable Match include, @Nullable Match exclude) {
    static Selection of(AttributesProcessorConfig config, Signal signal) {
      return new Selection(
          Attraction.of(config.actions()),
          Match.of(config.include(), "include", signal),
          Match.of(config.exclude(), "exclude", signal));
    }

    /** Whether items under this resource and scope can be selected at all. */
    boolean mayInclude(Resource r, InstrumentationScope s) {
      return include == null || include.resourceAndScope(r, s);
    }

    boolean mayExclude(Resource r, InstrumentationScope s) {
      return exclude != null && exclude.resourceAndScope(r, s);
    }
  }

  /**
   * @throws IllegalArgumentException for a config that does not validate, or one whose
   *     include/exclude names properties spans do not have
   */
  public static TracesProcessor traces(AttributesProcessorConfig config, TracesConsumer next) {
    Selection sel = Selection.of(config, Signal.TRACES);
    Objects.requireNonNull(next, "next");
    return new TracesProcessor() {
      @Override
      public void consumeTraces(Traces traces) throws Refusal {
        ExportTraceServiceRequest req = request(traces::request);
        ExportTraceServiceRequest.Builder out = null;
        for (int i = 0; i < req.getResourceSpansCount(); i++) {
          ResourceSpans rs = req.getResourceSpans(i);
          for (int j = 0; j < rs.getScopeSpansCount(); j++) {
            ScopeSpans ss = rs.getScopeSpans(j);
            if (!sel.mayInclude(rs.getResource(), ss.getScope())) {
              continue;
            }
            boolean mayExclude = sel.mayExclude(rs.getResource(), ss.getScope());
            for (int k = 0; k < ss.getSpansCount(); k++) {
              Span span = ss.getSpans(k);
              if ((sel.include != null && !sel.include.span(span))
                  || (mayExclude && sel.exclude.span(span))) {
                continue;
              }
              List<KeyValue> attrs = sel.actions.apply(span.getAttributesList());
              if (attrs != span.getAttributesList()) {
                out = out != null ? out : req.toBuilder();
                out.getResourceSpansBuilder(i).getScopeSpansBuilder(j).getSpansBuilder(k)
                    .clearAttributes().addAllAttributes(attrs);
              }
            }
          }
        }
        next.consumeTraces(out == null ? traces : Traces.of(out.build()));
      }

      @Override
      public String toString() {
        return "attributes processor (traces)";
      }
    };
  }

  /**
   * @throws IllegalArgumentException for a config that does not validate, or one whose
   *     include/exclude names properties log records do not have
   */
  public static LogsProcessor logs(AttributesProcessorConfig config, LogsConsumer next) {
    Selection sel = Selection.of(config, Signal.LOGS);
    Objects.requireNonNull(next, "next");
    return new LogsProcessor() {
      @Override
      public void consumeLogs(Logs logs) throws Refusal {
        ExportLogsServiceRequest req = request(logs::request);
        ExportLogsServiceRequest.Builder out = null;
        for (int i = 0; i < req.getResourceLogsCount(); i++) {
          ResourceLogs rl = req.getResourceLogs(i);
          for (int j = 0; j < rl.getScopeLogsCount(); j++) {
            ScopeLogs sl = rl.getScopeLogs(j);
            if (!sel.mayInclude(rl.getResource(), sl.getScope())) {
              continue;
            }
            boolean mayExclude = sel.mayExclude(rl.getResource(), sl.getScope());
            for (int k = 0; k < sl.getLogRecordsCount(); k++) {
              LogRecord log = sl.getLogRecords(k);
              if ((sel.include != null && !sel.include.log(log))
                  || (mayExclude && sel.exclude.log(log))) {
                continue;
              }
              List<KeyValue> attrs = sel.actions.apply(log.getAttributesList());
              if (attrs != log.getAttributesList()) {
                out = out != null ? out : req.toBuilder();
                out.getResourceLogsBuilder(i).getScopeLogsBuilder(j).getLogRecordsBuilder(k)
                    .clearAttributes().addAllAttributes(attrs);
              }
            }
          }
        }
        next.consumeLogs(out == null ? logs : Logs.of(out.build()));
      }

      @Override
      public String toString() {
        return "attributes processor (logs)";
      }
    };
  }

  /**
   * Metrics are selected by name, resource and scope; {@code attributes} in include/exclude, and
   * the actions, apply to each data point.
   *
   * @throws IllegalArgumentException for a config that does not validate, or one whose
   *     include/exclude names properties metrics do not have
   */
  public static MetricsProcessor metrics(AttributesProcessorConfig config, MetricsConsumer next) {
    Selection sel = Selection.of(config, Signal.METRICS);
    Objects.requireNonNull(next, "next");
    return new MetricsProcessor() {
      @Override
      public void consumeMetrics(Metrics metrics) throws Refusal {
        ExportMetricsServiceRequest req = request(metrics::request);
        ExportMetricsServiceRequest.Builder out = null;
        for (int i = 0; i < req.getResourceMetricsCount(); i++) {
          ResourceMetrics rm = req.getResourceMetrics(i);
          for (int j = 0; j < rm.getScopeMetricsCount(); j++) {
            ScopeMetrics sm = rm.getScopeMetrics(j);
            if (!sel.mayInclude(rm.getResource(), sm.getScope())) {
              continue;
            }
            boolean mayExclude = sel.mayExclude(rm.getResource(), sm.getScope());
            for (int k = 0; k < sm.getMetricsCount(); k++) {
              Metric m = sm.getMetrics(k);
              if (sel.include != null && !sel.include.metricName(m.getName())) {
                continue;
              }
              boolean excludedByName = mayExclude && sel.exclude.metricName(m.getName());
              int points = Metrics.dataPoints(m);
              for (int p = 0; p < points; p++) {
                List<KeyValue> before = pointAttributes(m, p);
                if ((sel.include != null && !sel.include.attributes(before))
                    || (excludedByName && sel.exclude.attributes(before))) {
                  continue;
                }
                List<KeyValue> attrs = sel.actions.apply(before);
                if (attrs != before) {
                  out = out != null ? out : req.toBuilder();
                  setPointAttributes(
                      out.getResourceMetricsBuilder(i).getScopeMetricsBuilder(j).getMetricsBuilder(k),
                      p, attrs);
                }
              }
            }
          }
        }
        next.consumeMetrics(out == null ? metrics : Metrics.of(out.build()));
      }

      @Override
      public String toString() {
        return "attributes processor (metrics)";
      }
    };
  }

  private static List<KeyValue> pointAttributes(Metric m, int p) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPoints(p).getAttributesList();
      case SUM -> m.getSum().getDataPoints(p).getAttributesList();
      case HISTOGRAM -> m.getHistogram().getDataPoints(p).getAttributesList();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPoints(p).getAttributesList();
      case SUMMARY -> m.getSummary().getDataPoints(p).getAttributesList();
      default -> List.of();
    };
  }

  private static void setPointAttributes(Metric.Builder m, int p, List<KeyValue> attrs) {
    switch (m.getDataCase()) {
      case GAUGE -> m.getGaugeBuilder().getDataPointsBuilder(p).clearAttributes().addAllAttributes(attrs);
      case SUM -> m.getSumBuilder().getDataPointsBuilder(p).clearAttributes().addAllAttributes(attrs);
      case HISTOGRAM ->
          m.getHistogramBuilder().getDataPointsBuilder(p).clearAttributes().addAllAttributes(attrs);
      case EXPONENTIAL_HISTOGRAM ->
          m.getExponentialHistogramBuilder().getDataPointsBuilder(p).clearAttributes()
              .addAllAttributes(attrs);
      case SUMMARY ->
          m.getSummaryBuilder().getDataPointsBuilder(p).clearAttributes().addAllAttributes(attrs);
      default -> throw new IllegalStateException("a metric without data points has none to set");
    }
  }

  private interface Decode<R> {
    R get();
  }

  /** The decoded request; bytes that do not decode are refused as permanent (bad data). */
  private static <R> R request(Decode<R> decode) throws Refusal {
    try {
      return decode.get();
    } catch (MalformedDataException e) {
      throw Refusal.permanent("not a valid OTLP request: " + e.getMessage(), e);
    }
  }
}
