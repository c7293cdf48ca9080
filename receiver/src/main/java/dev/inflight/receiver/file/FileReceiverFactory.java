package dev.inflight.receiver.file;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Receiver;
import dev.inflight.component.ReceiverFactory;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConsumer;
import java.util.Set;

/**
 * {@code receivers: file:}: replays recordings (the {@code file} exporter's files) into the
 * pipelines, traces, metrics and logs, once, paced by {@code replay.speed}. One receiver instance reads
 * the files for every pipeline that lists the same id: each record goes to the pipeline of its
 * signal.
 */
public final class FileReceiverFactory implements ReceiverFactory<FileReceiverConfig> {
  public static final String TYPE = "file";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "replays recordings of the file exporter (include: files or globs), once, at replay.speed"
        + " (default max)";
  }

  @Override
  public Class<FileReceiverConfig> configClass() {
    return FileReceiverConfig.class;
  }

  @Override
  public FileReceiverConfig createDefaultConfig() {
    return FileReceiverConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Override
  public Receiver createTraces(CreateSettings settings, FileReceiverConfig config, TracesConsumer next) {
    FileReceiver receiver = receiver(settings, config);
    receiver.tracesConsumer(next);
    return receiver;
  }

  @Override
  public Receiver createMetrics(CreateSettings settings, FileReceiverConfig config, MetricsConsumer next) {
    FileReceiver receiver = receiver(settings, config);
    receiver.metricsConsumer(next);
    return receiver;
  }

  @Override
  public Receiver createLogs(CreateSettings settings, FileReceiverConfig config, LogsConsumer next) {
    FileReceiver receiver = receiver(settings, config);
    receiver.logsConsumer(next);
    return receiver;
  }

  /** The one instance per id that every pipeline listing it shares. */
  private static FileReceiver receiver(CreateSettings settings, FileReceiverConfig config) {
    return settings.shared(() -> new FileReceiver(settings, config, ReplayPacer.Clock.system()));
  }
}
