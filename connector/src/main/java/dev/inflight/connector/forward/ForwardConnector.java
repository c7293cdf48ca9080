package dev.inflight.connector.forward;

import dev.inflight.component.MetricsConnector;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Refusal;
import dev.inflight.component.TracesConnector;
import dev.inflight.component.TracesConsumer;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import java.util.Objects;

/**
 * Hands every batch to the next pipeline as it is: same object, no copy (batches are immutable), and
 * a refusal from downstream goes back upstream unchanged so the receiver still tells its sender
 * whether to retry. Holds nothing, so start and shutdown have nothing to do.
 */
public final class ForwardConnector {
  private ForwardConnector() {}

  /** traces → traces. */
  public static TracesConnector traces(TracesConsumer next) {
    return new TracesToTraces(Objects.requireNonNull(next, "next"));
  }

  /** metrics → metrics. */
  public static MetricsConnector metrics(MetricsConsumer next) {
    return new MetricsToMetrics(Objects.requireNonNull(next, "next"));
  }

  private static final class TracesToTraces implements TracesConnector {
    private final TracesConsumer next;

    TracesToTraces(TracesConsumer next) {
      this.next = next;
    }

    @Override
    public void consumeTraces(Traces traces) throws Refusal {
      next.consumeTraces(traces);
    }

    @Override
    public String toString() {
      return "forward connector (traces → traces)";
    }
  }

  private static final class MetricsToMetrics implements MetricsConnector {
    private final MetricsConsumer next;

    MetricsToMetrics(MetricsConsumer next) {
      this.next = next;
    }

    @Override
    public void consumeMetrics(Metrics metrics) throws Refusal {
      next.consumeMetrics(metrics);
    }

    @Override
    public String toString() {
      return "forward connector (metrics → metrics)";
    }
  }
}
