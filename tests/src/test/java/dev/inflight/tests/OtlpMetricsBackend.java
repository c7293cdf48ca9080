package dev.inflight.tests;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.component.Signal;
import dev.inflight.exporter.otlp.RecordingGrpcServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OTLP metrics backend for tests: the exporter tests' {@link RecordingGrpcServer} on a free
 * 127.0.0.1 port, answering success, with the metrics export requests it recorded read as points.
 */
final class OtlpMetricsBackend implements AutoCloseable {
  /** One data point as received, with the name of its metric and its (string) attributes. */
  record Point(String metric, Map<String, String> attrs, long start, long time, NumberDataPoint number,
      HistogramDataPoint histogram) {}

  private final RecordingGrpcServer server;

  OtlpMetricsBackend() throws Exception {
    server = RecordingGrpcServer.start();
  }

  int port() {
    return server.port();
  }

  List<ExportMetricsServiceRequest> received() {
    List<ExportMetricsServiceRequest> out = new ArrayList<>();
    for (RecordingGrpcServer.Call c : server.calls(Signal.METRICS)) {
      try {
        out.add(ExportMetricsServiceRequest.parseFrom(c.body()));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("a metrics export that is not an ExportMetricsServiceRequest", e);
      }
    }
    return out;
  }

  List<Point> points() {
    List<Point> out = new ArrayList<>();
    for (ExportMetricsServiceRequest r : received()) {
      for (ResourceMetrics rm : r.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            switch (m.getDataCase()) {
              case GAUGE -> m.getGauge().getDataPointsList().forEach(n -> out.add(
                  new Point(m.getName(), attrs(n.getAttributesList()), n.getStartTimeUnixNano(), n.getTimeUnixNano(), n, null)));
              case SUM -> m.getSum().getDataPointsList().forEach(n -> out.add(
                  new Point(m.getName(), attrs(n.getAttributesList()), n.getStartTimeUnixNano(), n.getTimeUnixNano(), n, null)));
              case HISTOGRAM -> m.getHistogram().getDataPointsList().forEach(h -> out.add(
                  new Point(m.getName(), attrs(h.getAttributesList()), h.getStartTimeUnixNano(), h.getTimeUnixNano(), null, h)));
              default -> out.add(new Point(m.getName() + " (" + m.getDataCase() + ")", Map.of(), 0, 0, null, null));
            }
          }
        }
      }
    }
    return out;
  }

  boolean has(String metric, Map<String, String> attrs, long time) {
    return points().stream().anyMatch(x -> x.metric().equals(metric) && x.time() == time && x.attrs().equals(attrs));
  }

  /** What arrived, one line per point, for failure messages. */
  String summary() {
    StringBuilder b = new StringBuilder();
    b.append(received().size()).append(" requests\n");
    for (Point x : points()) {
      b.append("  ").append(x.metric()).append(new TreeMap<>(x.attrs())).append(" [").append(x.start()).append(", ")
          .append(x.time()).append("] ");
      if (x.number() != null) {
        b.append(x.number().getValueCase() == NumberDataPoint.ValueCase.AS_INT ? x.number().getAsInt() : x.number().getAsDouble());
      } else if (x.histogram() != null) {
        b.append("count=").append(x.histogram().getCount()).append(" sum=").append(x.histogram().getSum())
            .append(" buckets=").append(x.histogram().getBucketCountsList());
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static Map<String, String> attrs(List<KeyValue> kvs) {
    Map<String, String> out = new TreeMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), kv.getValue().hasStringValue() ? kv.getValue().getStringValue() : kv.getValue().toString().trim());
    }
    return out;
  }

  @Override
  public void close() {
    server.close();
  }
}
