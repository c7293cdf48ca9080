package dev.inflight.tools.analyze;

import dev.inflight.recording.RecordingFormat.Kind;
import dev.inflight.recording.RecordingReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads recording files one record at a time, in order, through {@link RecordingReader} (so every
 * layout the file exporters write is taken, and a cut-off last record is skipped with a warning),
 * and counts what it read. Nothing is held beyond the record being handled.
 */
public final class RecordingScanner {
  /** Handles one record. */
  @FunctionalInterface
  public interface Handler {
    /**
     * @return false when the record turned out not to decode (it is then counted as damaged; the
     *     handler has warned)
     */
    boolean record(Path file, Kind kind, byte[] encoded) throws IOException;
  }

  private final Consumer<String> warnings;
  private final List<String> files = new ArrayList<>();
  private long records;
  private long metrics;
  private long logs;
  private long damaged;
  private long truncated;

  /** @param warnings told about each skipped record, in a sentence naming the file */
  public RecordingScanner(Consumer<String> warnings) {
    this.warnings = warnings;
  }

  /** Reads every record of {@code file}. */
  public void scan(Path file, Handler handler) throws IOException {
    files.add(file.toString());
    try (RecordingReader reader = RecordingReader.open(file, warnings)) {
      RecordingReader.Record r;
      while ((r = reader.next()) != null) {
        records++;
        switch (r.kind()) {
          case METRICS -> metrics++;
          case LOGS -> logs++;
          case TRACES -> {}
        }
        if (!handler.record(file, r.kind(), r.encoded())) {
          damaged++;
        }
      }
      damaged += reader.skipped() - (reader.truncated() ? 1 : 0);
      if (reader.truncated()) {
        truncated++;
      }
    }
  }

  /** What has been read so far. */
  public ReadSummary summary() {
    return new ReadSummary(files, records, metrics, logs, damaged, truncated);
  }
}
