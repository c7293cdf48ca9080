package dev.inflight.tools.analyze;

import dev.inflight.recording.RecordingFormat.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Puts the spans of trace records into a {@link RecordedSpans}, classified into worker types:
 * the {@link RecordingScanner.Handler} of {@code inflight analyze}. Metrics and logs records are
 * passed over.
 */
public final class SpanCollector implements RecordingScanner.Handler, SpanWalker.Sink {
  private final WorkerTypeSet types;
  private final RecordedSpans spans;
  private final SpanWalker walker;
  private final Consumer<String> warnings;
  /** Worker type per span-name id when classification needs only the name; -2: not classified yet. */
  private int[] typeByName = new int[64];

  /**
   * @param instanceAttribute the attribute naming instances, or null
   */
  public SpanCollector(WorkerTypeSet types, String instanceAttribute, int longest, Consumer<String> warnings) {
    this.types = types;
    this.spans = new RecordedSpans(instanceAttribute != null && !instanceAttribute.isEmpty(), longest);
    this.walker = new SpanWalker(instanceAttribute);
    this.warnings = warnings;
    java.util.Arrays.fill(typeByName, -2);
  }

  @Override
  public boolean record(Path file, Kind kind, byte[] encoded) {
    if (kind != Kind.TRACES) {
      return true;
    }
    try {
      walker.walk(encoded, this);
      return true;
    } catch (IOException e) {
      warnings.accept(file + ": a record is not a valid ExportTraceServiceRequest (" + e.getMessage()
          + "); its spans after the damage were skipped");
      return false;
    }
  }

  @Override
  public void span(SpanWalker s) {
    int type = typeOf(s);
    if (type < 0) {
      spans.unmatched(s.start(), s.end());
      return;
    }
    long d = spans.add(type, s.start(), s.end(), s.status() == SpanWalker.STATUS_ERROR, s.instanceId());
    if (d >= 0) {
      spans.offerLongest(type, new LongSpan(s.traceIdHex(), s.spanIdHex(), s.nameText(), s.start(), d));
    }
  }

  private int typeOf(SpanWalker s) {
    if (types.filtersServices()) {
      return types.typeOf(s.nameText(), s.value(s.serviceId()));
    }
    int id = s.nameId();
    if (id >= typeByName.length) {
      int old = typeByName.length;
      typeByName = java.util.Arrays.copyOf(typeByName, Math.max(id + 1, old * 2));
      java.util.Arrays.fill(typeByName, old, typeByName.length, -2);
    }
    int t = typeByName[id];
    if (t == -2) {
      t = types.typeOf(s.nameText(), null);
      typeByName[id] = t;
    }
    return t;
  }

  public RecordedSpans spans() {
    return spans;
  }

  /** The text of an instance id. */
  public String instanceName(int id) {
    return walker.value(id);
  }
}
