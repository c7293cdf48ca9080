package dev.inflight.service.testing;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.LogsExporter;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Receiver;
import dev.inflight.component.ReceiverFactory;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesExporter;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The two ends of a pipeline for tests that run a real service around the components under test:
 * a receiver the test pushes into ({@code push}) and an exporter that keeps what reaches it
 * ({@code keep}).
 */
public final class PipelineEnds {
  private PipelineEnds() {}

  /** The config of both: they take no settings. */
  public record Empty() implements ComponentConfig {}

  /** A receiver that lets the test push into its pipeline. */
  public static final class PushReceiverFactory implements ReceiverFactory<Empty> {
    public final AtomicReference<TracesConsumer> traces = new AtomicReference<>();
    public final AtomicReference<MetricsConsumer> metrics = new AtomicReference<>();
    public final AtomicReference<LogsConsumer> logs = new AtomicReference<>();

    @Override public String type() { return "push"; }
    @Override public Class<Empty> configClass() { return Empty.class; }
    @Override public Empty createDefaultConfig() { return new Empty(); }
    @Override public Set<Signal> signals() { return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS); }

    @Override
    public Receiver createTraces(CreateSettings settings, Empty config, TracesConsumer next) {
      traces.set(next);
      return new Receiver() {};
    }

    @Override
    public Receiver createMetrics(CreateSettings settings, Empty config, MetricsConsumer next) {
      metrics.set(next);
      return new Receiver() {};
    }

    @Override
    public Receiver createLogs(CreateSettings settings, Empty config, LogsConsumer next) {
      logs.set(next);
      return new Receiver() {};
    }
  }

  /** An exporter that keeps what it gets. */
  public static final class KeepExporterFactory implements ExporterFactory<Empty> {
    public final List<Traces> traces = new CopyOnWriteArrayList<>();
    public final List<Metrics> metrics = new CopyOnWriteArrayList<>();
    public final List<Logs> logs = new CopyOnWriteArrayList<>();

    @Override public String type() { return "keep"; }
    @Override public Class<Empty> configClass() { return Empty.class; }
    @Override public Empty createDefaultConfig() { return new Empty(); }
    @Override public Set<Signal> signals() { return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS); }

    @Override
    public TracesExporter createTraces(CreateSettings settings, Empty config) {
      return new TracesExporter() {
        @Override
        public void consumeTraces(Traces t) {
          traces.add(t);
        }
      };
    }

    @Override
    public MetricsExporter createMetrics(CreateSettings settings, Empty config) {
      return new MetricsExporter() {
        @Override
        public void consumeMetrics(Metrics m) {
          metrics.add(m);
        }
      };
    }

    @Override
    public LogsExporter createLogs(CreateSettings settings, Empty config) {
      return new LogsExporter() {
        @Override
        public void consumeLogs(Logs l) {
          logs.add(l);
        }
      };
    }
  }
}
