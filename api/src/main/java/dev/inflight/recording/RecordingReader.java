package dev.inflight.recording;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.recording.RecordingFormat.Kind;
import dev.inflight.otlp.json.OtlpJson;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads one recording file record by record, whatever wrote it: inflight's or the Collector's file
 * exporter, traces, metrics and logs, proto or JSON lines, plain, one zstd stream, or zstd per record (all told apart by their
 * first bytes).
 *
 * <p>Crash-safe: a process killed mid-write leaves a record cut off at the end of the file (or a
 * zstd stream cut inside a block). That record is skipped with a warning and everything before it is
 * read. A record in the middle that does not decode is skipped with a warning too, and reading goes
 * on with the next (the length prefix, or the newline, says where it starts).
 */
public final class RecordingReader implements Closeable {
  /** One record: what it holds, as an encoded OTLP export request. */
  public record Record(Kind kind, byte[] encoded) {}

  private final Path file;
  private final Consumer<String> warnings;
  private final InputStream in;
  private final boolean json;
  private long position; // bytes of (decompressed) stream consumed, for messages
  private long records;
  private long skipped;
  private boolean truncated;
  private boolean done;

  private RecordingReader(Path file, InputStream in, boolean json, Consumer<String> warnings) {
    this.file = file;
    this.in = in;
    this.json = json;
    this.warnings = warnings;
  }

  /**
   * Opens {@code file} and works out its layout.
   *
   * @param warnings told, in a sentence naming the file, about each record skipped
   */
  public static RecordingReader open(Path file, Consumer<String> warnings) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      InputStream in = raw;
      if (startsWithZstd(raw)) {
        // Continuous: a stream that stops mid-frame (the writer was killed) ends quietly after the
        // last complete block instead of failing; the cut record is then found by its length.
        ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(raw);
        zstd.setContinuous(true);
        in = new BufferedInputStream(zstd, 1 << 16);
      }
      in.mark(1);
      int first = in.read();
      in.reset();
      return new RecordingReader(file, in, first == '{', warnings);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static boolean startsWithZstd(InputStream in) throws IOException {
    in.mark(RecordingFormat.ZSTD_MAGIC.length);
    byte[] head = in.readNBytes(RecordingFormat.ZSTD_MAGIC.length);
    in.reset();
    return RecordingFormat.isZstd(head, 0, head.length);
  }

  /** The next record, or null at the end of the file. */
  public Record next() throws IOException {
    while (!done) {
      Record r = json ? nextLine() : nextLengthPrefixed();
      if (r != null) {
        records++;
        return r;
      }
    }
    return null;
  }

  /** @return null when the record was skipped or the file ended (then {@link #done} is set) */
  private Record nextLengthPrefixed() throws IOException {
    long at = position;
    byte[] prefix = readUpTo(RecordingFormat.LENGTH_PREFIX_BYTES);
    if (prefix.length == 0) {
      done = true;
      return null;
    }
    if (prefix.length < RecordingFormat.LENGTH_PREFIX_BYTES) {
      cutOff(at, "its length");
      return null;
    }
    long length = (prefix[0] & 0xFFL) << 24 | (prefix[1] & 0xFF) << 16 | (prefix[2] & 0xFF) << 8 | prefix[3] & 0xFF;
    if (length > RecordingFormat.MAX_RECORD_BYTES) {
      done = true;
      skipped++;
      warnings.accept(file + ": the record at byte " + at + " claims " + length
          + " bytes, more than any record; the rest of the file is damaged and was not read");
      return null;
    }
    byte[] payload = readUpTo((int) length);
    if (payload.length < length) {
      cutOff(at, payload.length + " of its " + length + " bytes");
      return null;
    }
    return decode(payload, at);
  }

  private Record nextLine() throws IOException {
    long at = position;
    ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      line.write(b);
    }
    position += line.size() + (b == '\n' ? 1 : 0);
    if (b == -1) {
      done = true;
    }
    byte[] bytes = line.toByteArray();
    if (isBlank(bytes)) {
      return null;
    }
    try {
      return jsonRecord(bytes);
    } catch (InvalidProtocolBufferException e) {
      skipped++;
      if (b == -1) {
        // The last line, with no newline after it: the writer stopped inside it.
        truncated = true;
        warnings.accept(file + ": the last line (at byte " + at + ") is cut off (the writer stopped"
            + " mid-write); skipped it, read " + records + " records before it");
      } else {
        warnings.accept(file + ": line at byte " + at + " skipped: " + e.getMessage());
      }
      return null;
    }
  }

  private Record decode(byte[] payload, long at) throws IOException {
    try {
      if (RecordingFormat.isZstd(payload, 0, payload.length)) {
        // The Collector's compression: each record is its own zstd frame.
        try (InputStream frame = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(payload))) {
          payload = frame.readAllBytes();
        }
      }
      if (payload.length > 0 && payload[0] == '{') {
        return jsonRecord(payload); // the Collector's format: json with compression
      }
      return new Record(RecordingFormat.kindOf(payload), payload);
    } catch (IOException e) {
      skipped++;
      warnings.accept(file + ": record at byte " + at + " skipped: " + e.getMessage());
      return null;
    }
  }

  private static Record jsonRecord(byte[] json) throws InvalidProtocolBufferException {
    Kind kind = jsonKind(json);
    byte[] encoded = switch (kind) {
      case TRACES -> OtlpJson.decodeTraces(json);
      case METRICS -> OtlpJson.decodeMetrics(json);
      case LOGS -> OtlpJson.decodeLogs(json);
    };
    return new Record(kind, encoded);
  }

  /**
   * The first key of the object says which request it is: resourceSpans, resourceMetrics or
   * resourceLogs (or their proto names); anything else is read as traces, as it always was.
   */
  private static Kind jsonKind(byte[] json) {
    int i = 0;
    while (i < json.length && json[i] != '"') {
      i++;
    }
    int end = i + 1;
    while (end < json.length && json[end] != '"') {
      end++;
    }
    String key = i < json.length ? new String(json, i + 1, Math.max(0, end - i - 1), StandardCharsets.UTF_8) : "";
    return switch (key) {
      case "resourceMetrics", "resource_metrics" -> Kind.METRICS;
      case "resourceLogs", "resource_logs" -> Kind.LOGS;
      default -> Kind.TRACES;
    };
  }

  private void cutOff(long at, String what) {
    done = true;
    truncated = true;
    skipped++;
    warnings.accept(file + ": the last record (at byte " + at + ") is cut off after " + what
        + " (the writer stopped mid-write); skipped it, read " + records + " records before it");
  }

  private byte[] readUpTo(int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    position += bytes.length;
    return bytes;
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Records returned so far. */
  public long records() {
    return records;
  }

  /** Records skipped so far: cut off, damaged, or not a valid request. */
  public long skipped() {
    return skipped;
  }

  /** Whether the file ended inside a record. */
  public boolean truncated() {
    return truncated;
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
