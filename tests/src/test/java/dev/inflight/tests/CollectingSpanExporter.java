package dev.inflight.tests;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the spans an SDK finishes, so a test can send exactly those spans with a real exporter. */
final class CollectingSpanExporter implements SpanExporter {
  private final List<SpanData> finished = new CopyOnWriteArrayList<>();

  List<SpanData> finished() {
    return finished;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    finished.addAll(spans);
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
