package dev.inflight.component.telemetry;

import dev.inflight.component.Signal;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.EnumMap;
import java.util.Map;

/**
 * One counter per signal with the Collector's per-signal names ({@code ..._spans}, {@code
 * ..._metric_points}, {@code ..._log_records}), attributes built once so counting allocates nothing.
 */
final class SignalCounter {
  private final Map<Signal, LongCounter> counters = new EnumMap<>(Signal.class);
  private final Attributes attributes;

  /** Names in full, so each can be found where it is declared; {@code what} ends each description. */
  SignalCounter(
      Meter meter, String spans, String metricPoints, String logRecords, String what, Attributes attributes) {
    this.attributes = attributes;
    for (Signal s : Signal.values()) {
      String name =
          switch (s) {
            case TRACES -> spans;
            case METRICS -> metricPoints;
            case LOGS -> logRecords;
          };
      counters.put(
          s,
          meter
              .counterBuilder(name)
              .setUnit("{" + unitOf(s) + "}")
              .setDescription("Number of " + unitOf(s) + " " + what)
              .build());
    }
  }

  private static String unitOf(Signal s) {
    return switch (s) {
      case TRACES -> "spans";
      case METRICS -> "datapoints";
      case LOGS -> "records";
    };
  }

  void add(Signal signal, long n) {
    if (n > 0) {
      counters.get(signal).add(n, attributes);
    }
  }
}
