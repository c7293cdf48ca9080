package dev.inflight.pdata;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.otlp.wire.OtlpWire;
import dev.inflight.otlp.wire.WireReader;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.io.IOException;
import java.util.Objects;

/**
 * A batch of log records as an OTLP {@code ExportLogsServiceRequest}. Like {@link Traces} it
 * travels encoded: the receiver hands on the bytes it got, and the message is parsed only when a
 * component asks for {@link #request()} (the debug exporter's detailed view, the resource
 * processor). Immutable.
 */
public final class Logs implements SignalData {
  private final byte[] encoded;
  private volatile ExportLogsServiceRequest request;
  private volatile int logRecordCount;
  private volatile int resourceLogsCount = -1;

  private Logs(byte[] encoded, ExportLogsServiceRequest request, int logRecordCount) {
    this.encoded = encoded;
    this.request = request;
    this.logRecordCount = logRecordCount;
  }

  /** Wraps encoded bytes without copying them; the caller must not change the array afterwards. */
  public static Logs ofEncoded(byte[] encoded) {
    return new Logs(Objects.requireNonNull(encoded, "encoded"), null, -1);
  }

  /** Wraps encoded bytes whose record count a receiver already established while checking them. */
  public static Logs ofEncoded(byte[] encoded, int logRecordCount) {
    return new Logs(Objects.requireNonNull(encoded, "encoded"), null, logRecordCount);
  }

  public static Logs of(ExportLogsServiceRequest request) {
    Objects.requireNonNull(request, "request");
    return new Logs(request.toByteArray(), request, -1);
  }

  /** The encoded request. Shared, not copied: do not modify. */
  @Override
  public byte[] encoded() {
    return encoded;
  }

  /** The parsed message, made on first use. */
  public ExportLogsServiceRequest request() {
    ExportLogsServiceRequest r = request;
    if (r == null) {
      try {
        r = ExportLogsServiceRequest.parseFrom(encoded);
      } catch (InvalidProtocolBufferException e) {
        throw new MalformedDataException("logs are not a valid ExportLogsServiceRequest", e);
      }
      request = r;
    }
    return r;
  }

  public int logRecordCount() {
    if (logRecordCount < 0) {
      count();
    }
    return logRecordCount;
  }

  /** The log records: what self-metrics count for logs. */
  @Override
  public int itemCount() {
    return logRecordCount();
  }

  public int resourceLogsCount() {
    if (resourceLogsCount < 0) {
      count();
    }
    return resourceLogsCount;
  }

  /** Counts without parsing: walks the three levels of length-delimited fields. */
  private void count() {
    int resources = 0;
    int records = 0;
    try {
      WireReader in = new WireReader(encoded);
      while (in.next(OtlpWire.LogsRequest.RESOURCE_LOGS)) {
        resources++;
        int rlLimit = in.enter();
        while (in.next(OtlpWire.ResourceLogs.SCOPE_LOGS)) {
          int slLimit = in.enter();
          while (in.next(OtlpWire.ScopeLogs.LOG_RECORDS)) {
            records++;
            in.skipField(OtlpWire.ScopeLogs.LOG_RECORDS);
          }
          in.popLimit(slLimit);
        }
        in.popLimit(rlLimit);
      }
    } catch (IOException e) {
      throw new MalformedDataException("logs are not a valid ExportLogsServiceRequest", e);
    }
    resourceLogsCount = resources;
    logRecordCount = records;
  }

  @Override
  public String toString() {
    return "Logs[" + encoded.length + " bytes]";
  }
}
