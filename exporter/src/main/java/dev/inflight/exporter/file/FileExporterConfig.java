package dev.inflight.exporter.file;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import java.time.Duration;

/**
 * {@code exporters.file}: where a recording goes, in which format, and how much disk it may use.
 * The keys are the Collector's file exporter's, plus {@code rotation.max_total_megabytes}.
 *
 * @param path the file written to (required); rotated files are renamed next to it with a
 *     timestamp before the extension ({@code spans.binpb} → {@code spans-2026-11-23T10-15-02.123.binpb})
 * @param format {@code proto} (length-prefixed OTLP protobuf records; the default, compact and cheap)
 *     or {@code json} (one OTLP/JSON request per line)
 * @param compression {@code none} (default) or {@code zstd}: each file one zstd stream
 * @param rotation size and retention of the files
 * @param flushInterval how often buffered records reach the file (and a zstd stream is flushed, so
 *     a reader gets them); at most this much recording is lost when the process is killed; default
 *     1s, as in the Collector
 */
public record FileExporterConfig(
    String path, Format format, Compression compression, Rotation rotation, Duration flushInterval)
    implements ComponentConfig {
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

  public FileExporterConfig {
    path = path == null ? "" : path;
    format = format == null ? Format.PROTO : format;
    compression = compression == null ? Compression.NONE : compression;
    rotation = rotation == null ? Rotation.defaults() : rotation;
    flushInterval = flushInterval == null ? DEFAULT_FLUSH_INTERVAL : flushInterval;
  }

  /** Every setting at its default: what {@code createDefaultConfig()} returns. */
  public static final FileExporterConfig DEFAULT = new FileExporterConfig(null, null, null, null, null);

  /** This config with {@code path} set; null means its default. */
  public FileExporterConfig withPath(String path) {
    return new FileExporterConfig(path, format, compression, rotation, flushInterval);
  }

  /** This config with {@code format} set; null means its default. */
  public FileExporterConfig withFormat(Format format) {
    return new FileExporterConfig(path, format, compression, rotation, flushInterval);
  }

  /** This config with {@code compression} set; null means its default. */
  public FileExporterConfig withCompression(Compression compression) {
    return new FileExporterConfig(path, format, compression, rotation, flushInterval);
  }

  /** This config with {@code rotation} set; null means its default. */
  public FileExporterConfig withRotation(Rotation rotation) {
    return new FileExporterConfig(path, format, compression, rotation, flushInterval);
  }

  /** This config with {@code flush_interval} set; null means its default. */
  public FileExporterConfig withFlushInterval(Duration flushInterval) {
    return new FileExporterConfig(path, format, compression, rotation, flushInterval);
  }

  public enum Format {
    @JsonProperty("proto") PROTO,
    @JsonProperty("json") JSON
  }

  public enum Compression {
    @JsonProperty("none") NONE,
    @JsonProperty("zstd") ZSTD
  }

  /**
   * @param maxMegabytes a file is rotated before it would grow past this (MiB); default {@value #DEFAULT_MAX_MEGABYTES}
   * @param maxTotalMegabytes the files of this exporter (the one written and the rotated ones) never
   *     take more than this together (MiB): the oldest rotated files are deleted first to make room;
   *     default {@value #DEFAULT_MAX_TOTAL_MEGABYTES}
   * @param maxBackups keep at most this many rotated files; 0 (default) for no limit but the size
   * @param maxDays delete rotated files older than this many days; 0 (default) for no limit
   * @param localtime name rotated files by local time instead of UTC; default false
   */
  public record Rotation(
      Integer maxMegabytes, Integer maxTotalMegabytes, Integer maxBackups, Integer maxDays, Boolean localtime) {
    public static final int DEFAULT_MAX_MEGABYTES = 64;
    public static final int DEFAULT_MAX_TOTAL_MEGABYTES = 1024;

    public Rotation {
      maxMegabytes = maxMegabytes == null ? DEFAULT_MAX_MEGABYTES : maxMegabytes;
      maxTotalMegabytes = maxTotalMegabytes == null ? DEFAULT_MAX_TOTAL_MEGABYTES : maxTotalMegabytes;
      maxBackups = maxBackups == null ? 0 : maxBackups;
      maxDays = maxDays == null ? 0 : maxDays;
      localtime = localtime != null && localtime;
    }

    public static Rotation defaults() {
      return new Rotation(null, null, null, null, null);
    }

    public long maxFileBytes() {
      return (long) maxMegabytes << 20;
    }

    public long maxTotalBytes() {
      return (long) maxTotalMegabytes << 20;
    }
  }

  @Override
  public void validate(ConfigProblems problems) {
    if (path.isBlank()) {
      problems.add("path", "path is required: the file to write the recording to");
    }
    if (rotation.maxMegabytes() < 1) {
      problems.add("rotation.max_megabytes", "max_megabytes must be at least 1");
    }
    if (rotation.maxTotalMegabytes() < rotation.maxMegabytes()) {
      problems.add("rotation.max_total_megabytes", "max_total_megabytes (" + rotation.maxTotalMegabytes()
          + ") must be at least max_megabytes (" + rotation.maxMegabytes() + "): the file being written counts too");
    }
    if (rotation.maxBackups() < 0) {
      problems.add("rotation.max_backups", "max_backups must not be negative");
    }
    if (rotation.maxDays() < 0) {
      problems.add("rotation.max_days", "max_days must not be negative");
    }
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      problems.add("flush_interval", "flush_interval must be positive, e.g. 1s");
    }
  }
}
