package dev.inflight.exporter.file;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.ObservedInstruments;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.function.LongSupplier;

/**
 * The {@code file} exporter's own self-metrics (ours, {@code inflight_exporter_file_*}; what it sent
 * and failed to send is in the shared {@code otelcol_exporter_*} counters). Alert on {@link
 * #DROPPED_RECORDS}: a record is one batch, and a dropped one is not in the file.
 */
final class FileExporterTelemetry {
  static final String DROPPED_RECORDS = "inflight_exporter_file_dropped_records";
  static final String DROPPED_RECORDS_DESCRIPTION =
      "Records (one per batch) the file exporter did not write, by reason";
  static final String WRITTEN_BYTES = "inflight_exporter_file_written_bytes";
  static final String WRITTEN_BYTES_DESCRIPTION =
      "Bytes the file exporter wrote to its files (after compression)";
  static final String WRITTEN_RECORDS = "inflight_exporter_file_written_records";
  static final String WRITTEN_RECORDS_DESCRIPTION = "Records (one per batch) the file exporter wrote";
  static final String ROTATED_FILES = "inflight_exporter_file_rotated_files";
  static final String ROTATED_FILES_DESCRIPTION =
      "Files the file exporter finished and renamed because they reached max_megabytes";
  static final String DELETED_FILES = "inflight_exporter_file_deleted_files";
  static final String DELETED_FILES_DESCRIPTION =
      "Rotated files the file exporter deleted to stay within max_total_megabytes, max_backups or"
          + " max_days";
  static final String DISK_BYTES = "inflight_exporter_file_disk_bytes";
  static final String DISK_BYTES_DESCRIPTION =
      "Bytes the file exporter's files take (at most, for data still in the compressor)";

  static final String RECORDS = "{records}";
  static final String FILES = "{files}";
  static final String BYTES = "By";

  /** Why a record was not written: the {@code reason} attribute of {@link #DROPPED_RECORDS}. */
  enum DropReason {
    /** Larger than {@code rotation.max_megabytes}. */
    TOO_LARGE("too_large"),
    /** An I/O error, e.g. a full disk. */
    WRITE_FAILED("write_failed"),
    /** The exporter was shut down or never started. */
    STOPPED("stopped");

    final String attribute;

    DropReason(String attribute) {
      this.attribute = attribute;
    }
  }

  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  private final Meter meter;
  private final Attributes attributes;
  private final LongCounter dropped;
  private final Attributes[] droppedAttributes = new Attributes[DropReason.values().length];
  private final ObservedInstruments observed = new ObservedInstruments();

  FileExporterTelemetry(ComponentTelemetry telemetry) {
    meter = telemetry.meter();
    attributes = telemetry.attributes();
    dropped = meter.counterBuilder(DROPPED_RECORDS).setUnit(RECORDS)
        .setDescription(DROPPED_RECORDS_DESCRIPTION).build();
    for (DropReason r : DropReason.values()) {
      droppedAttributes[r.ordinal()] = attributes.toBuilder().put(REASON, r.attribute).build();
    }
  }

  /** Records nothing: for tests that build the exporter without a service. */
  static FileExporterTelemetry noop() {
    return new FileExporterTelemetry(
        ComponentTelemetry.noop(ComponentKind.EXPORTER, ComponentId.of("file")));
  }

  void droppedRecord(DropReason reason) {
    dropped.add(1, droppedAttributes[reason.ordinal()]);
  }

  /** Starts reporting what the open file has written, read at each collection; until {@link #close}. */
  void observe(RotatingFile file, LongSupplier diskBytes) {
    observed.add(meter.counterBuilder(WRITTEN_BYTES).setUnit(BYTES)
        .setDescription(WRITTEN_BYTES_DESCRIPTION)
        .buildWithCallback(m -> m.record(file.writtenBytes(), attributes)));
    observed.add(meter.counterBuilder(WRITTEN_RECORDS).setUnit(RECORDS)
        .setDescription(WRITTEN_RECORDS_DESCRIPTION)
        .buildWithCallback(m -> m.record(file.writtenRecords(), attributes)));
    observed.add(meter.counterBuilder(ROTATED_FILES).setUnit(FILES)
        .setDescription(ROTATED_FILES_DESCRIPTION)
        .buildWithCallback(m -> m.record(file.rotations(), attributes)));
    observed.add(meter.counterBuilder(DELETED_FILES).setUnit(FILES)
        .setDescription(DELETED_FILES_DESCRIPTION)
        .buildWithCallback(m -> m.record(file.deletedFiles(), attributes)));
    observed.add(meter.gaugeBuilder(DISK_BYTES).ofLongs().setUnit(BYTES)
        .setDescription(DISK_BYTES_DESCRIPTION)
        .buildWithCallback(m -> m.record(diskBytes.getAsLong(), attributes)));
  }

  /** Stops the observed instruments: a stopped exporter reports nothing stale. */
  void close() {
    observed.closeAll();
  }
}
