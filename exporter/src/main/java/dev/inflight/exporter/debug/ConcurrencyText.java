package dev.inflight.exporter.debug;

import static dev.inflight.exporter.debug.OtlpText.plain;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The concurrency connector's metrics as one line per group and window, in the style of a live
 * concurrency monitor:
 *
 * <pre>
 * [CONCURRENCY] account_workers{service.name=cart} Active: 3.7/8 | Peak: 7 | Spans: 256 | Failed: 0
 * </pre>
 *
 * <p>Only scopes named {@value #SCOPE} are read; the metric and attribute names are matched as
 * literals, so this module does not depend on the connector's. A group is the set of a point's
 * attributes ({@code worker.type} plus the dimensions, or plus {@code otel.metric.overflow}),
 * without the {@code status} that {@code workers.spans} adds; a window is a point's {@code
 * time_unix_nano} (the window's end). Lines come in window order, then in the order groups first
 * appear in the batch. Every concurrency scope of a batch goes into the same table, because the
 * batch processor may join or split the connector's requests.
 *
 * <p>Capacity is not on the wire: it is {@code workers.active / workers.utilization}, learnt
 * whenever utilization is above 0 and remembered per worker type (for as long as this instance
 * lives), so an idle window (active 0, utilization 0) still shows it. Thread-safe.
 */
final class ConcurrencyText {
  static final String SCOPE = "dev.inflight.connector.concurrency";
  static final String PREFIX = "[CONCURRENCY] ";

  static final String ACTIVE = "workers.active";
  static final String ACTIVE_MAX = "workers.active.max";
  static final String UTILIZATION = "workers.utilization";
  static final String INSTANCES = "workers.instances";
  static final String SPANS = "workers.spans";
  static final String LATE_SPANS = "workers.late_spans";

  static final String WORKER_TYPE = "worker.type";
  static final String STATUS = "status";
  static final String ERROR = "error";

  /** Shown for a value whose point is not in the batch (the batch processor can split a window). */
  private static final String MISSING = "-";
  private static final MathContext CAPACITY_DIGITS = new MathContext(6, RoundingMode.HALF_UP);

  /** Capacity per worker type, as last derived. */
  private final Map<String, Double> capacities = new ConcurrentHashMap<>();

  /** True if the batch holds at least one scope from the concurrency connector. */
  static boolean hasConcurrency(ExportMetricsServiceRequest request) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        if (SCOPE.equals(sm.getScope().getName())) {
          return true;
        }
      }
    }
    return false;
  }

  /** One line per group and window, without a trailing newline; empty when there is nothing to show. */
  List<String> lines(ExportMetricsServiceRequest request) {
    if (!hasConcurrency(request)) {
      return List.of();
    }
    Table table = new Table();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        if (SCOPE.equals(sm.getScope().getName())) {
          for (Metric m : sm.getMetricsList()) {
            table.add(m);
          }
        }
      }
    }
    List<Row> rows = table.rowsInOrder();
    // Learn first, so an idle window earlier in the batch can use a capacity from a later one.
    for (Row row : rows) {
      learnCapacity(row);
    }
    List<String> lines = new ArrayList<>(rows.size());
    for (Row row : rows) {
      lines.add(line(row));
    }
    return lines;
  }

  private void learnCapacity(Row row) {
    Double capacity = derivedCapacity(row);
    if (capacity != null) {
      capacities.put(row.group.workerType(), capacity);
    }
  }

  /** {@code active / utilization} of this window, rounded; null when the window cannot tell (idle). */
  private static Double derivedCapacity(Row row) {
    if (row.utilization == null || row.active == null || !(row.utilization > 0) || !(row.active > 0)) {
      return null;
    }
    double capacity = row.active / row.utilization;
    return Double.isFinite(capacity) && capacity > 0 ? roundCapacity(capacity) : null;
  }

  /** Six significant digits: {@code 3.7 / 0.4625} is 8.000000000000002 on the wire, 8 here. */
  static double roundCapacity(double capacity) {
    return new BigDecimal(Double.toString(capacity)).round(CAPACITY_DIGITS).doubleValue();
  }

  private String line(Row row) {
    StringBuilder out = new StringBuilder(PREFIX);
    out.append(row.group.workerType());
    if (!row.group.others().isEmpty()) {
      out.append('{').append(OtlpText.pairs(row.group.others(), ",")).append('}');
    }
    out.append(" Active: ").append(value(row.active));
    Double capacity = capacity(row);
    if (capacity != null) {
      out.append('/').append(number(capacity));
    }
    out.append(" | Peak: ").append(value(row.peak));
    out.append(" | Spans: ").append(value(row.spans));
    out.append(" | Failed: ").append(row.spans == null ? MISSING : number(row.failed == null ? 0 : row.failed));
    if (row.instances != null) {
      out.append(" | Instances: ").append(number(row.instances));
    }
    if (row.late != null && row.late > 0) {
      out.append(" | Late: ").append(number(row.late));
    }
    return out.toString();
  }

  /** Derived from this window when it can be, else the remembered one; none without utilization. */
  private Double capacity(Row row) {
    if (row.utilization == null) {
      return null;
    }
    Double derived = derivedCapacity(row);
    return derived != null ? derived : capacities.get(row.group.workerType());
  }

  private static String value(Double v) {
    return v == null ? MISSING : number(v);
  }

  /** {@code 4}, {@code 256}; otherwise at most two decimals without trailing zeros: {@code 3.75}, {@code 0.5}. */
  static String number(double d) {
    if (!Double.isFinite(d)) {
      return OtlpText.number(d);
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return BigDecimal.valueOf(d).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  /** A group: its attributes as first seen, with {@code worker.type} taken out. */
  private record Group(int order, String workerType, List<KeyValue> others) {}

  /** What one group shows for one window; null for a metric the batch has no point of. */
  private static final class Row {
    final Group group;
    Double active;
    Double peak;
    Double utilization;
    Double instances;
    Double spans;
    Double failed;
    Double late;

    Row(Group group) {
      this.group = group;
    }
  }

  /** The batch's points by group and window. */
  private static final class Table {
    /** Keyed by the attributes sorted by key, so their order on the wire does not matter. */
    private final Map<List<KeyValue>, Group> groups = new LinkedHashMap<>();
    private final Map<Long, Map<Group, Row>> windows = new HashMap<>();

    void add(Metric m) {
      List<NumberDataPoint> points =
          switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsList();
            case SUM -> m.getSum().getDataPointsList();
            default -> List.of();
          };
      String name = m.getName();
      for (NumberDataPoint p : points) {
        Double v = value(p);
        if (v == null) {
          continue;
        }
        switch (name) {
          case ACTIVE -> row(p.getAttributesList(), p.getTimeUnixNano()).active = v;
          case ACTIVE_MAX -> row(p.getAttributesList(), p.getTimeUnixNano()).peak = v;
          case UTILIZATION -> row(p.getAttributesList(), p.getTimeUnixNano()).utilization = v;
          case INSTANCES -> row(p.getAttributesList(), p.getTimeUnixNano()).instances = v;
          case LATE_SPANS -> row(p.getAttributesList(), p.getTimeUnixNano()).late = v;
          case SPANS -> {
            List<KeyValue> attributes = new ArrayList<>(p.getAttributesList());
            String status = removeLast(attributes, STATUS);
            Row row = row(attributes, p.getTimeUnixNano());
            row.spans = (row.spans == null ? 0 : row.spans) + v;
            if (ERROR.equals(status)) {
              row.failed = (row.failed == null ? 0 : row.failed) + v;
            }
          }
          default -> {}
        }
      }
    }

    private Row row(List<KeyValue> attributes, long time) {
      List<KeyValue> key = new ArrayList<>(attributes);
      key.sort(Comparator.comparing(KeyValue::getKey));
      Group group = groups.computeIfAbsent(key, k -> group(groups.size(), attributes));
      return windows.computeIfAbsent(time, t -> new HashMap<>()).computeIfAbsent(group, Row::new);
    }

    private static Group group(int order, List<KeyValue> attributes) {
      String workerType = MISSING;
      List<KeyValue> others = new ArrayList<>(attributes.size());
      boolean found = false;
      for (KeyValue kv : attributes) {
        if (!found && WORKER_TYPE.equals(kv.getKey())) {
          workerType = plain(kv.getValue());
          found = true;
        } else {
          others.add(kv);
        }
      }
      return new Group(order, workerType, Collections.unmodifiableList(others));
    }

    /** The value of the last attribute named {@code key}, removed from the list; null when there is none. */
    private static String removeLast(List<KeyValue> attributes, String key) {
      for (int i = attributes.size() - 1; i >= 0; i--) {
        if (key.equals(attributes.get(i).getKey())) {
          return plain(attributes.remove(i).getValue());
        }
      }
      return null;
    }

    private static Double value(NumberDataPoint p) {
      return switch (p.getValueCase()) {
        case AS_DOUBLE -> p.getAsDouble();
        case AS_INT -> (double) p.getAsInt();
        default -> null;
      };
    }

    /** Window end ascending, then groups in the order they first appeared. */
    List<Row> rowsInOrder() {
      List<Row> rows = new ArrayList<>();
      // time_unix_nano is a fixed64: unsigned.
      Map<Long, Map<Group, Row>> sorted = new TreeMap<>(Long::compareUnsigned);
      sorted.putAll(windows);
      for (Map<Group, Row> window : sorted.values()) {
        List<Row> inWindow = new ArrayList<>(window.values());
        inWindow.sort(Comparator.comparingInt(r -> r.group.order()));
        rows.addAll(inWindow);
      }
      return rows;
    }
  }
}
