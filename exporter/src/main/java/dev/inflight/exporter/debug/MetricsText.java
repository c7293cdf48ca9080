package dev.inflight.exporter.debug;

import static dev.inflight.exporter.debug.OtlpText.attributes;
import static dev.inflight.exporter.debug.OtlpText.fixed;
import static dev.inflight.exporter.debug.OtlpText.hex;
import static dev.inflight.exporter.debug.OtlpText.number;
import static dev.inflight.exporter.debug.OtlpText.pairs;
import static dev.inflight.exporter.debug.OtlpText.time;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;

/** Metrics as the debug exporter prints them: a line per data point (normal) or every field (detailed). */
final class MetricsText {
  private MetricsText() {}

  /** {@code name{k=v,...} value} per data point, as the Collector's normal verbosity. */
  static String normal(ExportMetricsServiceRequest request) {
    StringBuilder out = new StringBuilder();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          switch (m.getDataCase()) {
            case GAUGE -> numbers(out, m, m.getGauge().getDataPointsList());
            case SUM -> numbers(out, m, m.getSum().getDataPointsList());
            case HISTOGRAM -> {
              for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                countSum(out, m, p.getAttributesList(), p.getCount(), p.hasSum(), p.getSum());
                for (int i = 0; i < p.getBucketCountsCount(); i++) {
                  out.append(' ');
                  if (i < p.getExplicitBoundsCount()) {
                    out.append("le").append(number(p.getExplicitBounds(i))).append('=');
                  }
                  out.append(p.getBucketCounts(i));
                }
                out.append('\n');
              }
            }
            case EXPONENTIAL_HISTOGRAM -> {
              for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
                countSum(out, m, p.getAttributesList(), p.getCount(), p.hasSum(), p.getSum());
                out.append(" scale=").append(p.getScale()).append('\n');
              }
            }
            case SUMMARY -> {
              for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
                line(out, m, pairs(p.getAttributesList(), ","));
                out.append("count=").append(p.getCount()).append(" sum=").append(number(p.getSum()));
                for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
                  out.append(" q").append(number(q.getQuantile())).append('=').append(number(q.getValue()));
                }
                out.append('\n');
              }
            }
            default -> {}
          }
        }
      }
    }
    return out.toString();
  }

  private static void numbers(StringBuilder out, Metric m, List<NumberDataPoint> points) {
    for (NumberDataPoint p : points) {
      line(out, m, pairs(p.getAttributesList(), ","));
      out.append(value(p)).append('\n');
    }
  }

  private static void line(StringBuilder out, Metric m, String attributes) {
    out.append(m.getName()).append('{').append(attributes).append("} ");
  }

  private static String value(NumberDataPoint p) {
    return switch (p.getValueCase()) {
      case AS_INT -> String.valueOf(p.getAsInt());
      case AS_DOUBLE -> number(p.getAsDouble());
      default -> "";
    };
  }

  /** The Collector's detailed layout (otlptext), with RFC 3339 times. */
  static String detailed(ExportMetricsServiceRequest request) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < request.getResourceMetricsCount(); i++) {
      ResourceMetrics rm = request.getResourceMetrics(i);
      out.append("ResourceMetrics #").append(i).append('\n');
      out.append("Resource SchemaURL: ").append(rm.getSchemaUrl()).append('\n');
      attributes(out, "", "Resource attributes", rm.getResource().getAttributesList());
      for (int j = 0; j < rm.getScopeMetricsCount(); j++) {
        ScopeMetrics sm = rm.getScopeMetrics(j);
        out.append("ScopeMetrics #").append(j).append('\n');
        out.append("ScopeMetrics SchemaURL: ").append(sm.getSchemaUrl()).append('\n');
        OtlpText.scope(out, sm.getScope());
        for (int k = 0; k < sm.getMetricsCount(); k++) {
          out.append("Metric #").append(k).append('\n');
          metric(out, sm.getMetrics(k));
        }
      }
    }
    return out.toString();
  }

  private static void metric(StringBuilder out, Metric m) {
    out.append("Descriptor:\n");
    out.append("     -> Name: ").append(m.getName()).append('\n');
    out.append("     -> Description: ").append(m.getDescription()).append('\n');
    out.append("     -> Unit: ").append(m.getUnit()).append('\n');
    out.append("     -> DataType: ").append(dataType(m)).append('\n');
    switch (m.getDataCase()) {
      case GAUGE -> numberPoints(out, m.getGauge().getDataPointsList());
      case SUM -> {
        out.append("     -> IsMonotonic: ").append(m.getSum().getIsMonotonic()).append('\n');
        temporality(out, m.getSum().getAggregationTemporality());
        numberPoints(out, m.getSum().getDataPointsList());
      }
      case HISTOGRAM -> {
        temporality(out, m.getHistogram().getAggregationTemporality());
        histogramPoints(out, m.getHistogram().getDataPointsList());
      }
      case EXPONENTIAL_HISTOGRAM -> {
        temporality(out, m.getExponentialHistogram().getAggregationTemporality());
        exponentialPoints(out, m.getExponentialHistogram().getDataPointsList());
      }
      case SUMMARY -> summaryPoints(out, m.getSummary().getDataPointsList());
      default -> {}
    }
  }

  private static String dataType(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> "Gauge";
      case SUM -> "Sum";
      case HISTOGRAM -> "Histogram";
      case EXPONENTIAL_HISTOGRAM -> "ExponentialHistogram";
      case SUMMARY -> "Summary";
      default -> "Empty";
    };
  }

  private static void temporality(StringBuilder out, AggregationTemporality t) {
    String name =
        switch (t) {
          case AGGREGATION_TEMPORALITY_DELTA -> "Delta";
          case AGGREGATION_TEMPORALITY_CUMULATIVE -> "Cumulative";
          default -> "Unspecified";
        };
    out.append("     -> AggregationTemporality: ").append(name).append('\n');
  }

  /** The start of a histogram's or exponential histogram's normal line: name, attributes, count and sum. */
  private static void countSum(
      StringBuilder out, Metric m, List<KeyValue> attributes, long count, boolean hasSum, double sum) {
    line(out, m, pairs(attributes, ","));
    out.append("count=").append(count);
    if (hasSum) {
      out.append(" sum=").append(number(sum));
    }
  }

  /** A detailed data point's heading: its kind and index, its attributes and its times. */
  private static void point(
      StringBuilder out, String kind, int i, List<KeyValue> attributes, long start, long time) {
    out.append(kind).append(" #").append(i).append('\n');
    attributes(out, "", "Data point attributes", attributes);
    times(out, start, time);
  }

  /** {@code Label: value} when the optional field is present. */
  private static void optional(StringBuilder out, String label, boolean present, double value) {
    if (present) {
      out.append(label).append(": ").append(fixed(value)).append('\n');
    }
  }

  private static void times(StringBuilder out, long start, long time) {
    out.append("StartTimestamp: ").append(time(start)).append('\n');
    out.append("Timestamp: ").append(time(time)).append('\n');
  }

  private static void numberPoints(StringBuilder out, List<NumberDataPoint> points) {
    for (int i = 0; i < points.size(); i++) {
      NumberDataPoint p = points.get(i);
      point(out, "NumberDataPoints", i, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano());
      switch (p.getValueCase()) {
        case AS_INT -> out.append("Value: ").append(p.getAsInt()).append('\n');
        case AS_DOUBLE -> out.append("Value: ").append(fixed(p.getAsDouble())).append('\n');
        default -> {}
      }
      exemplars(out, p.getExemplarsList());
    }
  }

  private static void histogramPoints(StringBuilder out, List<HistogramDataPoint> points) {
    for (int i = 0; i < points.size(); i++) {
      HistogramDataPoint p = points.get(i);
      point(out, "HistogramDataPoints", i, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano());
      out.append("Count: ").append(p.getCount()).append('\n');
      optional(out, "Sum", p.hasSum(), p.getSum());
      optional(out, "Min", p.hasMin(), p.getMin());
      optional(out, "Max", p.hasMax(), p.getMax());
      for (int b = 0; b < p.getExplicitBoundsCount(); b++) {
        out.append("ExplicitBounds #").append(b).append(": ").append(fixed(p.getExplicitBounds(b))).append('\n');
      }
      for (int b = 0; b < p.getBucketCountsCount(); b++) {
        out.append("Buckets #").append(b).append(", Count: ").append(p.getBucketCounts(b)).append('\n');
      }
      exemplars(out, p.getExemplarsList());
    }
  }

  private static void exponentialPoints(StringBuilder out, List<ExponentialHistogramDataPoint> points) {
    for (int i = 0; i < points.size(); i++) {
      ExponentialHistogramDataPoint p = points.get(i);
      point(out, "ExponentialHistogramDataPoints", i, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano());
      out.append("Count: ").append(p.getCount()).append('\n');
      optional(out, "Sum", p.hasSum(), p.getSum());
      optional(out, "Min", p.hasMin(), p.getMin());
      optional(out, "Max", p.hasMax(), p.getMax());
      // Bucket index i holds (base^i, base^(i+1)] with base = 2^(2^-scale).
      double factor = Math.scalb(Math.log(2), -p.getScale());
      ExponentialHistogramDataPoint.Buckets negative = p.getNegative();
      for (int b = negative.getBucketCountsCount() - 1; b >= 0; b--) {
        double index = negative.getOffset() + (double) b;
        out.append("Bucket [").append(fixed(-Math.exp((index + 1) * factor))).append(", ")
            .append(fixed(-Math.exp(index * factor))).append("), Count: ")
            .append(negative.getBucketCounts(b)).append('\n');
      }
      if (p.getZeroCount() != 0) {
        out.append("Bucket [0, 0], Count: ").append(p.getZeroCount()).append('\n');
      }
      ExponentialHistogramDataPoint.Buckets positive = p.getPositive();
      for (int b = 0; b < positive.getBucketCountsCount(); b++) {
        double index = positive.getOffset() + (double) b;
        out.append("Bucket (").append(fixed(Math.exp(index * factor))).append(", ")
            .append(fixed(Math.exp((index + 1) * factor))).append("], Count: ")
            .append(positive.getBucketCounts(b)).append('\n');
      }
      exemplars(out, p.getExemplarsList());
    }
  }

  private static void summaryPoints(StringBuilder out, List<SummaryDataPoint> points) {
    for (int i = 0; i < points.size(); i++) {
      SummaryDataPoint p = points.get(i);
      point(out, "SummaryDataPoints", i, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano());
      out.append("Count: ").append(p.getCount()).append('\n');
      out.append("Sum: ").append(fixed(p.getSum())).append('\n');
      for (int q = 0; q < p.getQuantileValuesCount(); q++) {
        SummaryDataPoint.ValueAtQuantile v = p.getQuantileValues(q);
        out.append("QuantileValue #").append(q).append(": Quantile ").append(fixed(v.getQuantile()))
            .append(", Value ").append(fixed(v.getValue())).append('\n');
      }
    }
  }

  private static void exemplars(StringBuilder out, List<Exemplar> exemplars) {
    if (exemplars.isEmpty()) {
      return;
    }
    out.append("Exemplars:\n");
    for (int i = 0; i < exemplars.size(); i++) {
      Exemplar e = exemplars.get(i);
      out.append("Exemplar #").append(i).append('\n');
      out.append("     -> Trace ID: ").append(hex(e.getTraceId())).append('\n');
      out.append("     -> Span ID: ").append(hex(e.getSpanId())).append('\n');
      out.append("     -> Timestamp: ").append(time(e.getTimeUnixNano())).append('\n');
      switch (e.getValueCase()) {
        case AS_INT -> out.append("     -> Value: ").append(e.getAsInt()).append('\n');
        case AS_DOUBLE -> out.append("     -> Value: ").append(fixed(e.getAsDouble())).append('\n');
        default -> {}
      }
      attributes(out, "     ", "-> FilteredAttributes", e.getFilteredAttributesList());
    }
  }
}
