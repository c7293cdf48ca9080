package dev.inflight.tests;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the log records an SDK emits, so a test can send exactly those records with a real exporter. */
final class CollectingLogRecordExporter implements LogRecordExporter {
  private final List<LogRecordData> emitted = new CopyOnWriteArrayList<>();

  List<LogRecordData> emitted() {
    return emitted;
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    emitted.addAll(logs);
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
