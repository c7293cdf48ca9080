package dev.inflight.pipeline.exporterhelper;

import dev.inflight.pipeline.Component;
import dev.inflight.pipeline.CreateSettings;
import dev.inflight.pipeline.Host;
import dev.inflight.pipeline.MetricsExporter;
import dev.inflight.pipeline.Refusal;
import dev.inflight.pipeline.Signal;
import dev.inflight.pipeline.TracesExporter;
import dev.inflight.pipeline.data.Metrics;
import dev.inflight.pipeline.data.Traces;
import dev.inflight.pipeline.telemetry.ExporterMetrics;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * What every exporter shares, written once (the Collector's exporterhelper): counting sent and
 * failed items under the Collector's names, turning failures into refusals the receivers
 * understand, and the lifecycle. An exporter supplies only how to push one batch.
 */
public final class ExporterHelper {
  private ExporterHelper() {}

  /** Sends one batch of spans; throws to report failure. */
  @FunctionalInterface
  public interface PushTraces {
    void push(Traces traces) throws Exception;
  }

  /** Sends one batch of metrics; throws to report failure. */
  @FunctionalInterface
  public interface PushMetrics {
    void push(Metrics metrics) throws Exception;
  }

  public static TracesExporter traces(CreateSettings settings, PushTraces push, Component lifecycle) {
    Objects.requireNonNull(push, "push");
    Sender sender = new Sender(settings, lifecycle);
    final class Exporter extends Lifecycle implements TracesExporter {
      Exporter() {
        super(lifecycle);
      }

      @Override
      public void consumeTraces(Traces traces) throws Refusal {
        sender.send(Signal.TRACES, traces.spanCount(), () -> push.push(traces));
      }
    }
    return new Exporter();
  }

  public static MetricsExporter metrics(CreateSettings settings, PushMetrics push, Component lifecycle) {
    Objects.requireNonNull(push, "push");
    Sender sender = new Sender(settings, lifecycle);
    final class Exporter extends Lifecycle implements MetricsExporter {
      Exporter() {
        super(lifecycle);
      }

      @Override
      public void consumeMetrics(Metrics metrics) throws Refusal {
        sender.send(Signal.METRICS, metrics.dataPointCount(), () -> push.push(metrics));
      }
    }
    return new Exporter();
  }

  @FunctionalInterface
  private interface Push {
    void run() throws Exception;
  }

  /** Counts one push as sent or failed, and turns its failure into a refusal. */
  private static final class Sender {
    private final ExporterMetrics metrics;
    private final Logger log;

    Sender(CreateSettings settings, Component lifecycle) {
      Objects.requireNonNull(lifecycle, "lifecycle");
      this.metrics = settings.telemetry().exporterMetrics();
      this.log = settings.logger();
    }

    void send(Signal signal, int items, Push push) throws Refusal {
      try {
        push.run();
        metrics.sent(signal, items);
      } catch (Exception e) {
        metrics.sendFailed(signal, items);
        throw refusal(log, signal == Signal.TRACES ? "spans" : "metric points", items, e);
      }
    }
  }

  /** Start and shutdown are the exporter's own. */
  private abstract static class Lifecycle implements Component {
    private final Component lifecycle;

    Lifecycle(Component lifecycle) {
      this.lifecycle = lifecycle;
    }

    @Override
    public void start(Host host) throws Exception {
      lifecycle.start(host);
    }

    @Override
    public void shutdown() throws Exception {
      lifecycle.shutdown();
    }
  }

  /**
   * A refusal passes through as it is; a checked exception (I/O) may pass if retried; a runtime
   * exception is a bug that retrying will not fix.
   */
  private static Refusal refusal(Logger log, String what, int n, Exception e) {
    if (e instanceof Refusal r) {
      log.warn("exporting {} {} failed: {}", n, what, r.getMessage());
      return r;
    }
    log.error("exporting {} {} failed", n, what, e);
    String message = "export failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    return e instanceof RuntimeException ? Refusal.permanent(message, e) : Refusal.retryable(message);
  }
}
