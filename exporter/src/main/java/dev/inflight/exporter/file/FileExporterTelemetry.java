package dev.inflight.exporter.file;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.SelfMetric;
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
  static final SelfMetric DROPPED_RECORDS =
      new SelfMetric("inflight_exporter_file_dropped_records", "{records}",
          "Records (one per batch) the file exporter did not write, by reason");
  static final SelfMetric WRITTEN_BYTES =
      new SelfMetric("inflight_exporter_file_written_bytes", "By",
          "Bytes the file exporter wrote to its files (after compression)");
  static final SelfMetric WRITTEN_RECORDS =
      new SelfMetric("inflight_exporter_file_written_records", "{records}",
          "Records (one per batch) the file exporter wrote");
  static final SelfMetric ROTATED_FILES =
      new SelfMetric("inflight_exporter_file_rotated_files", "{files}",
          "Files the file exporter finished and renamed because they reached max_megabytes");
  static final SelfMetric DELETED_FILES =
      new SelfMetric("inflight_exporter_file_deleted_files", "{files}",
          "Rotated files the file exporter deleted to stay within max_total_megabytes, max_backups"
              + " or max_days");
  static final SelfMetric DISK_BYTES =
      new SelfMetric("inflight_exporter_file_disk_bytes", "By",
          "Bytes the file exporter's files take (at most, for data still in the compressor)");

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
    dropped = DROPPED_RECORDS.counter(meter);
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
    observed.add(WRITTEN_BYTES.observedCounter(meter, m -> m.record(file.writtenBytes(), attributes)));
    observed.add(WRITTEN_RECORDS.observedCounter(meter, m -> m.record(file.writtenRecords(), attributes)));
    observed.add(ROTATED_FILES.observedCounter(meter, m -> m.record(file.rotations(), attributes)));
    observed.add(DELETED_FILES.observedCounter(meter, m -> m.record(file.deletedFiles(), attributes)));
    observed.add(DISK_BYTES.gauge(meter, m -> m.record(diskBytes.getAsLong(), attributes)));
  }

  /** Stops the observed instruments: a stopped exporter reports nothing stale. */
  void close() {
    observed.closeAll();
  }
}
