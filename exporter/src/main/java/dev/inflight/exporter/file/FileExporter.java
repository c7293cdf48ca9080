package dev.inflight.exporter.file;

import dev.inflight.exporter.file.FileExporterConfig.Format;
import dev.inflight.exporter.file.FileExporterTelemetry.DropReason;
import com.google.protobuf.Message;
import dev.inflight.component.Host;
import dev.inflight.component.LogsExporter;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesExporter;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.ExporterMetrics;
import dev.inflight.otlp.json.OtlpJson;
import dev.inflight.recording.RecordingFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Records traces, metrics and logs to a {@link RotatingFile}: each request one record, as the
 * Collector's file exporter writes them (see {@link RecordingFormat}). In proto format the bytes the
 * receiver got are written as they are, with a length before them: no parse (a logs request whose
 * first record has none of the fields that tell logs from spans gets {@link
 * RecordingFormat#markAsLogs}' two bytes, which every parser reads as nothing).
 *
 * <p>A recording never pushes back on live traffic: a record that cannot be written (a full disk,
 * a record larger than a whole file may be) is dropped and counted with its reason in {@code
 * inflight_exporter_file_dropped_records} and {@code otelcol_exporter_send_failed_*}, never refused
 * to the receiver (which would make clients retry what the other exporters already took).
 */
final class FileExporter implements TracesExporter, MetricsExporter, LogsExporter {
  private static final byte[] NO_HEAD = {};

  private final Logger log;
  private final FileExporterConfig config;
  private final FileExporterTelemetry telemetry;
  private final ExporterMetrics exporterMetrics;
  private final RotatingFile file;
  private final ReentrantLock lock = new ReentrantLock();
  private ScheduledExecutorService flusher;
  private boolean open;
  private boolean shutDown;
  private long lastFailureLog;

  FileExporter(Logger log, FileExporterConfig config, ComponentTelemetry telemetry, Clock clock) {
    this.log = log;
    this.config = config;
    this.telemetry = new FileExporterTelemetry(telemetry);
    this.exporterMetrics = telemetry.exporterMetrics();
    this.file = new RotatingFile(Path.of(config.path()), config.rotation(),
        config.compression() == FileExporterConfig.Compression.ZSTD, clock);
  }

  @Override
  public void start(Host host) throws IOException {
    lock.lock();
    try {
      file.open();
      open = true;
    } catch (IOException e) {
      // A bare NoSuchFileException says only "/proc/nope": say what was being done, and why.
      throw new IOException("cannot record to " + file.path() + ": " + e.getClass().getSimpleName() + " "
          + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
    telemetry.observe(file, this::diskBytes);
    long every = config.flushInterval().toNanos();
    flusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "file-exporter-flush");
      t.setDaemon(true);
      return t;
    });
    flusher.scheduleAtFixedRate(this::flush, every, every, TimeUnit.NANOSECONDS);
    log.info("recording to {} ({}{}; files up to {} MiB, {} MiB in all)", file.path(),
        config.format().name().toLowerCase(), config.compression() == FileExporterConfig.Compression.ZSTD ? ", zstd" : "",
        config.rotation().maxMegabytes(), config.rotation().maxTotalMegabytes());
  }

  @Override
  public void consumeTraces(Traces traces) {
    record(Signal.TRACES, traces.encoded(), traces::request, traces.spanCount());
  }

  @Override
  public void consumeMetrics(Metrics metrics) {
    record(Signal.METRICS, metrics.encoded(), metrics::request, metrics.dataPointCount());
  }

  @Override
  public void consumeLogs(Logs logs) {
    int logRecords = logs.logRecordCount();
    if (logRecords == 0) {
      return; // nothing to replay, and in proto not to be told from an empty traces request
    }
    byte[] encoded = config.format() == Format.PROTO ? markedAsLogs(logs.encoded()) : logs.encoded();
    record(Signal.LOGS, encoded, logs::request, logRecords);
  }

  /** The bytes as received, unless a reader could not tell them from spans (then marked). */
  private static byte[] markedAsLogs(byte[] encoded) {
    try {
      byte[] marked = RecordingFormat.markAsLogs(encoded);
      return marked == null ? encoded : marked;
    } catch (IOException e) {
      return encoded; // not valid protobuf: the receiver checked it, so this does not happen
    }
  }

  /**
   * One batch as one record: in proto format the bytes as received after their length; in JSON the
   * parsed request printed on one line. Counts its {@code items} as sent or failed.
   */
  private void record(Signal signal, byte[] encoded, Supplier<? extends Message> request, int items) {
    byte[] head;
    byte[] body;
    if (config.format() == Format.PROTO) {
      head = RecordingFormat.lengthPrefix(encoded.length);
      body = encoded;
    } else {
      head = NO_HEAD;
      body = (OtlpJson.print(request.get()) + "\n").getBytes(StandardCharsets.UTF_8);
    }
    if (write(head, body)) {
      exporterMetrics.sent(signal, items);
    } else {
      exporterMetrics.sendFailed(signal, items);
    }
  }

  /** @return whether the record was written; if not, it is counted as dropped with the reason */
  private boolean write(byte[] head, byte[] body) {
    lock.lock();
    try {
      if (!open || shutDown) {
        telemetry.droppedRecord(DropReason.STOPPED);
        return false;
      }
      if (!file.write(head, body)) {
        telemetry.droppedRecord(DropReason.TOO_LARGE);
        warnRarely("dropped a record of " + (head.length + body.length) + " bytes: larger than rotation.max_megabytes ("
            + config.rotation().maxMegabytes() + " MiB) allows for one file");
        return false;
      }
      return true;
    } catch (IOException | RuntimeException e) {
      telemetry.droppedRecord(DropReason.WRITE_FAILED);
      warnRarely("cannot write to " + file.path() + ": " + e);
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** One warning per 10 s at most: a full disk fails every write. */
  private void warnRarely(String message) {
    long now = System.nanoTime();
    if (lastFailureLog == 0 || now - lastFailureLog > TimeUnit.SECONDS.toNanos(10)) {
      lastFailureLog = now;
      log.warn("{} (counted in " + FileExporterTelemetry.DROPPED_RECORDS.name() + ")", message);
    }
  }

  /** Flushes now, as the timer does every {@code flush_interval}; for tests. */
  void flushNow() {
    flush();
  }

  private void flush() {
    lock.lock();
    try {
      if (open && !shutDown) {
        file.flush();
      }
    } catch (IOException e) {
      warnRarely("cannot flush " + file.path() + ": " + e);
    } finally {
      lock.unlock();
    }
  }

  private long diskBytes() {
    lock.lock();
    try {
      return file.diskBytes();
    } finally {
      lock.unlock();
    }
  }

  /** Bytes written to files so far (after compression); for benchmarks. */
  long writtenBytes() {
    return file.writtenBytes();
  }

  /** Records written so far; for benchmarks. */
  long writtenRecords() {
    return file.writtenRecords();
  }

  @Override
  public void shutdown() throws IOException {
    if (flusher != null) {
      flusher.shutdownNow();
    }
    lock.lock();
    try {
      if (shutDown) {
        return;
      }
      shutDown = true;
      if (open) {
        file.close();
      }
    } finally {
      lock.unlock();
      telemetry.close();
    }
  }
}
