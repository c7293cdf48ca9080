package dev.inflight.tests;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP metrics backend for tests, on grpc-java and the official protos: {@code
 * opentelemetry.proto.collector.metrics.v1.MetricsService/Export} on a free 127.0.0.1 port,
 * recording every request and answering success.
 */
final class OtlpMetricsBackend implements AutoCloseable {
  /** One data point as received, with the name of its metric and its (string) attributes. */
  record Point(String metric, Map<String, String> attrs, long start, long time, NumberDataPoint number,
      HistogramDataPoint histogram) {}

  private final List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();
  private final Server server;

  OtlpMetricsBackend() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new MetricsServiceGrpc.MetricsServiceImplBase() {
          @Override
          public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> out) {
            received.add(request);
            out.onNext(ExportMetricsServiceResponse.getDefaultInstance());
            out.onCompleted();
          }
        })
        .build().start();
  }

  int port() {
    return server.getPort();
  }

  List<ExportMetricsServiceRequest> received() {
    return List.copyOf(received);
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
    b.append(received.size()).append(" requests\n");
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
    server.shutdownNow();
  }
}
