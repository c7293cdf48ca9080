package dev.inflight.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.otlp.wire.InvalidRequestException;
import dev.inflight.otlp.wire.OtlpRequestChecker;
import dev.inflight.pdata.testing.TestData;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class LogsTest {
  static int[][][] shapes() {
    return new int[][][] {{}, {{}}, {{0}}, {{1}}, {{9}}, {{2, 5}}, {{1}, {4, 0, 2}}, {{130, 1}, {}, {300}}};
  }

  private static int records(ExportLogsServiceRequest r) {
    int n = 0;
    for (ResourceLogs rl : r.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        n += sl.getLogRecordsCount();
      }
    }
    return n;
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void theStreamingCountAndTheCheckersCountEqualTheParsedMessages(int[][] shape) throws Exception {
    ExportLogsServiceRequest request = TestData.logsRequest(shape);
    byte[] bytes = request.toByteArray();
    int expected = Arrays.stream(shape).flatMapToInt(Arrays::stream).sum();

    Logs logs = Logs.ofEncoded(bytes);

    assertThat(records(ExportLogsServiceRequest.parseFrom(bytes))).isEqualTo(expected);
    assertThat(logs.logRecordCount()).isEqualTo(expected);
    assertThat(logs.itemCount()).isEqualTo(expected);
    assertThat(logs.resourceLogsCount()).isEqualTo(shape.length);
    assertThat(OtlpRequestChecker.LOGS.check(bytes)).isEqualTo(expected);
    assertThat(logs.request()).isEqualTo(request);
    assertThat(Logs.of(request).logRecordCount()).isEqualTo(expected);
  }

  @Test
  void aRecordWithoutTraceContextPassesButAShortTraceIdIsRefusedSayingWhere() {
    ExportLogsServiceRequest ok = TestData.logsRequest(new int[][] {{3}});
    ExportLogsServiceRequest.Builder bad = ok.toBuilder();
    LogRecord second = bad.getResourceLogs(0).getScopeLogs(0).getLogRecords(2);
    bad.getResourceLogsBuilder(0)
        .getScopeLogsBuilder(0)
        .setLogRecords(2, second.toBuilder().setTraceId(second.getTraceId().substring(0, 15)));

    assertThat(ok.getResourceLogs(0).getScopeLogs(0).getLogRecords(1).getTraceId().isEmpty()).isTrue();
    assertThatThrownBy(() -> OtlpRequestChecker.LOGS.check(bad.build().toByteArray()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage(
            "not a valid ExportLogsServiceRequest at resource_logs[0].scope_logs[0].log_records[2].trace_id:"
                + " must be 16 bytes or empty, not 15");
  }

  @Test
  void aBrokenRequestIsAMalformedDataExceptionNotAWrongCount() {
    byte[] bytes = TestData.logsRequest(new int[][] {{4}}).toByteArray();
    Logs truncated = Logs.ofEncoded(Arrays.copyOf(bytes, bytes.length - 3));

    assertThatThrownBy(truncated::logRecordCount).isInstanceOf(MalformedDataException.class);
  }
}
