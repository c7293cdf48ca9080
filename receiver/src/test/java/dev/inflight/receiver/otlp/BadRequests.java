package dev.inflight.receiver.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.inflight.component.Signal;
import dev.inflight.pdata.testing.TestData;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The same kinds of malformed request for traces and for logs, so the tests of both transports can
 * check that a logs request gets exactly the answer the traces request of the same kind gets.
 */
final class BadRequests {
  private BadRequests() {}

  /**
   * One kind of bad request, spelled for traces and for logs.
   *
   * @param message how the checker's message for the logs request starts
   */
  record Kind(String what, byte[] traces, byte[] logs, String message) {
    byte[] of(Signal signal) {
      return switch (signal) {
        case TRACES -> traces;
        case LOGS -> logs;
        case METRICS -> throw new IllegalArgumentException("no metrics spelling");
      };
    }
  }

  private static final String MARK = "@@mark@@";

  /** Every kind: each is refused by the checker before anything is handed on. */
  static List<Kind> all() {
    byte[] traces = Requests.traces(new int[][] {{2}, {1}}).toByteArray();
    byte[] logs = TestData.logsRequest(new int[][] {{2}, {1}}).toByteArray();
    return List.of(
        new Kind("truncated", Arrays.copyOf(traces, traces.length - 5), Arrays.copyOf(logs, logs.length - 5),
            "not a valid ExportLogsServiceRequest at resource_logs[1]"),
        new Kind("garbage", new byte[] {(byte) 0xff, (byte) 0xff, 0x00, 0x13, 0x37},
            new byte[] {(byte) 0xff, (byte) 0xff, 0x00, 0x13, 0x37}, "not a valid ExportLogsServiceRequest"),
        new Kind("invalid UTF-8",
            invalidUtf8(Requests.withSpan(Requests.span(1).setName(MARK).build())),
            invalidUtf8(oneRecord(LogRecord.newBuilder().setSeverityText(MARK))),
            "not a valid ExportLogsServiceRequest at resource_logs[0].scope_logs[0].log_records[0].severity_text:"
                + " invalid UTF-8"),
        new Kind("a 20-byte trace id",
            Requests.withSpan(Requests.span(1).setTraceId(Requests.id(20, 1)).build()).toByteArray(),
            oneRecord(LogRecord.newBuilder().setTraceId(Requests.id(20, 1))).toByteArray(),
            "not a valid ExportLogsServiceRequest at resource_logs[0].scope_logs[0].log_records[0].trace_id:"
                + " must be 16 bytes or empty, not 20"),
        new Kind("a 9-byte span id",
            Requests.withSpan(Requests.span(1).setSpanId(Requests.id(9, 1)).build()).toByteArray(),
            oneRecord(LogRecord.newBuilder().setTraceId(Requests.id(16, 1)).setSpanId(Requests.id(9, 1))).toByteArray(),
            "not a valid ExportLogsServiceRequest at resource_logs[0].scope_logs[0].log_records[0].span_id:"
                + " must be 8 bytes or empty, not 9"),
        new Kind("another signal's request", Requests.metrics().toByteArray(), Requests.traces(2).toByteArray(),
            "not a valid ExportLogsServiceRequest at resource_logs[0].scope_logs[0].log_records[0]"));
  }

  static ExportLogsServiceRequest oneRecord(LogRecord.Builder record) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record)))
        .build();
  }

  /**
   * The request's bytes with the first byte of {@link #MARK} (in some string field) made 0xFF, never
   * valid in UTF-8: protobuf's builders refuse to build such a string, so it is patched in.
   */
  private static byte[] invalidUtf8(Message request) {
    byte[] bytes = request.toByteArray();
    byte[] mark = MARK.getBytes(StandardCharsets.UTF_8);
    int at = indexOf(bytes, mark);
    if (at < 0) {
      throw new IllegalStateException("no " + MARK + " in the request");
    }
    bytes[at] = (byte) 0xFF;
    return bytes;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A bytes value a little larger than {@code size}, in one attribute-free log body. */
  static ExportLogsServiceRequest logsLargerThan(int size) {
    return oneRecord(LogRecord.newBuilder().setBody(io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
        .setBytesValue(ByteString.copyFrom(new byte[size + 100]))));
  }
}
