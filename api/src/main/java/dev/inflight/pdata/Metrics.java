package dev.inflight.pdata;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.Objects;

/**
 * A batch of metrics as an OTLP {@code ExportMetricsServiceRequest}. Metrics are low volume, so
 * the parsed message is the usual form; bytes from a receiver stay as they are until a component
 * asks for the message. Immutable.
 */
public final class Metrics implements SignalData {
  private volatile byte[] encoded;
  private volatile ExportMetricsServiceRequest request;
  private volatile int dataPointCount;

  private Metrics(byte[] encoded, ExportMetricsServiceRequest request, int dataPointCount) {
    this.encoded = encoded;
    this.request = request;
    this.dataPointCount = dataPointCount;
  }

  public static Metrics of(ExportMetricsServiceRequest request) {
    return new Metrics(null, Objects.requireNonNull(request, "request"), -1);
  }

  /** Wraps encoded bytes without copying them; the caller must not change the array afterwards. */
  public static Metrics ofEncoded(byte[] encoded) {
    return new Metrics(Objects.requireNonNull(encoded, "encoded"), null, -1);
  }

  /**
   * Wraps encoded bytes whose data point count a receiver already established while checking them,
   * so counting them again does not parse the request.
   */
  public static Metrics ofEncoded(byte[] encoded, int dataPointCount) {
    return new Metrics(Objects.requireNonNull(encoded, "encoded"), null, dataPointCount);
  }

  public ExportMetricsServiceRequest request() {
    ExportMetricsServiceRequest r = request;
    if (r == null) {
      try {
        r = ExportMetricsServiceRequest.parseFrom(encoded);
      } catch (InvalidProtocolBufferException e) {
        throw new MalformedDataException("metrics are not a valid ExportMetricsServiceRequest", e);
      }
      request = r;
    }
    return r;
  }

  /** The encoded request, made on first use. Shared, not copied: do not modify. */
  @Override
  public byte[] encoded() {
    byte[] e = encoded;
    if (e == null) {
      e = request.toByteArray();
      encoded = e;
    }
    return e;
  }

  public int resourceMetricsCount() {
    return request().getResourceMetricsCount();
  }

  public int metricCount() {
    int n = 0;
    for (ResourceMetrics rm : request().getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        n += sm.getMetricsCount();
      }
    }
    return n;
  }

  /** The data points: what self-metrics count for metrics. */
  @Override
  public int itemCount() {
    return dataPointCount();
  }

  /** Data points across all metrics: the unit the Collector counts metrics in. */
  public int dataPointCount() {
    if (dataPointCount >= 0) {
      return dataPointCount;
    }
    int n = 0;
    for (ResourceMetrics rm : request().getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          n += dataPoints(m);
        }
      }
    }
    dataPointCount = n;
    return n;
  }

  /** The data points of one metric, whatever its kind. */
  public static int dataPoints(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
  }

  @Override
  public String toString() {
    byte[] e = encoded;
    return e != null ? "Metrics[" + e.length + " bytes]" : "Metrics[" + request.getSerializedSize() + " bytes]";
  }
}
