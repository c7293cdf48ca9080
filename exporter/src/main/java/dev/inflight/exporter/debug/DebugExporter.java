package dev.inflight.exporter.debug;

import dev.inflight.exporter.debug.DebugExporterConfig.Verbosity;
import dev.inflight.component.Component;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs what reaches it, at INFO: per batch a summary line ({@code Traces: resource spans 1, spans
 * 2}), then, with {@code verbosity: normal}, a line per span, data point or log record, and with
 * {@code detailed}, every field. For the concurrency connector's metrics, at every verbosity, also a
 * {@code [CONCURRENCY]} line per group and window (see {@link ConcurrencyText}). One instance per
 * signal, each with its own sampling window. Never fails a batch: logging is all it does.
 */
public final class DebugExporter implements Component {
  private final Logger log;
  private final Verbosity verbosity;
  private final LogSampler sampler;
  private final ConcurrencyText concurrency = new ConcurrencyText();

  public DebugExporter(Logger log, DebugExporterConfig config) {
    this(log, config, System::nanoTime);
  }

  /** With a clock for sampling, so tests can move time. */
  DebugExporter(Logger log, DebugExporterConfig config, LongSupplier nanoTime) {
    this.log = Objects.requireNonNull(log, "log");
    this.verbosity = config.verbosity();
    this.sampler = new LogSampler(config.samplingInitial(), config.samplingThereafter(), nanoTime);
  }

  public void pushTraces(Traces traces) {
    if (!log.isInfoEnabled() || !sampler.sample()) {
      return;
    }
    // Counting walks the bytes; parsing waits until a verbosity needs the spans themselves.
    log.info("Traces: resource spans {}, spans {}", traces.resourceSpansCount(), traces.spanCount());
    if (verbosity == Verbosity.BASIC || traces.spanCount() == 0) {
      return;
    }
    details(traces.request(), TracesText::normal, TracesText::detailed);
  }

  public void pushMetrics(Metrics metrics) {
    if (!log.isInfoEnabled() || !sampler.sample()) {
      return;
    }
    int metricCount = metrics.metricCount();
    log.info(
        "Metrics: resource metrics {}, metrics {}, data points {}",
        metrics.resourceMetricsCount(), metricCount, metrics.dataPointCount());
    ExportMetricsServiceRequest request = metrics.request();
    // The concurrency connector's metrics, one event per group and window, at every verbosity.
    for (String line : concurrency.lines(request)) {
      log.info("{}", line);
    }
    if (verbosity == Verbosity.BASIC || metricCount == 0) {
      return;
    }
    details(request, MetricsText::normal, MetricsText::detailed);
  }

  public void pushLogs(Logs logs) {
    if (!log.isInfoEnabled() || !sampler.sample()) {
      return;
    }
    // As for spans: the counts walk the bytes, only normal and detailed parse them.
    log.info("Logs: resource logs {}, log records {}", logs.resourceLogsCount(), logs.logRecordCount());
    if (verbosity == Verbosity.BASIC || logs.logRecordCount() == 0) {
      return;
    }
    details(logs.request(), LogsText::normal, LogsText::detailed);
  }

  /** The batch at normal or detailed verbosity, as one log event. */
  private <R> void details(R request, Function<R, String> normal, Function<R, String> detailed) {
    log.info("{}", chomp((verbosity == Verbosity.DETAILED ? detailed : normal).apply(request)));
  }

  /** The layout's last newline would show as an empty line after the log event's own. */
  private static String chomp(String text) {
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }
}
