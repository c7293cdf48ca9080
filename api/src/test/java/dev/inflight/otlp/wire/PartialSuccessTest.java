package dev.inflight.otlp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import org.junit.jupiter.api.Test;

class PartialSuccessTest {
  @Test
  void readsTheResponseOfEverySignal() throws Exception {
    byte[] traces = ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(3).setErrorMessage("too old"))
        .build().toByteArray();
    byte[] metrics = ExportMetricsServiceResponse.newBuilder()
        .setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(4).setErrorMessage("NaN"))
        .build().toByteArray();
    byte[] logs = ExportLogsServiceResponse.newBuilder()
        .setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(5_000_000_000L).setErrorMessage("ü"))
        .build().toByteArray();

    assertThat(PartialSuccess.read(traces)).isEqualTo(new PartialSuccess(3, "too old"));
    assertThat(PartialSuccess.read(metrics)).isEqualTo(new PartialSuccess(4, "NaN"));
    assertThat(PartialSuccess.read(logs)).isEqualTo(new PartialSuccess(5_000_000_000L, "ü"));
  }

  @Test
  void anEmptyResponseOrPartialSuccessIsNone() throws Exception {
    assertThat(PartialSuccess.read(new byte[0])).isSameAs(PartialSuccess.NONE);
    byte[] empty = ExportLogsServiceResponse.newBuilder()
        .setPartialSuccess(ExportLogsPartialSuccess.getDefaultInstance()).build().toByteArray();
    assertThat(PartialSuccess.read(empty)).isSameAs(PartialSuccess.NONE);
    assertThat(PartialSuccess.NONE.isPresent()).isFalse();
  }

  @Test
  void aMessageWithoutRejectionsIsAWarning() throws Exception {
    byte[] warning = ExportLogsServiceResponse.newBuilder()
        .setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setErrorMessage("deprecated attribute"))
        .build().toByteArray();

    PartialSuccess p = PartialSuccess.read(warning);

    assertThat(p.isPresent()).isTrue();
    assertThat(p.rejected()).isZero();
  }

  @Test
  void repeatedFieldsMergeAsProtobufDoes() throws Exception {
    byte[] first = ExportLogsServiceResponse.newBuilder()
        .setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(1).setErrorMessage("a"))
        .build().toByteArray();
    byte[] second = ExportLogsServiceResponse.newBuilder()
        .setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(2))
        .build().toByteArray();
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);

    ExportLogsServiceResponse parsed = ExportLogsServiceResponse.parseFrom(both);
    assertThat(PartialSuccess.read(both))
        .isEqualTo(new PartialSuccess(
            parsed.getPartialSuccess().getRejectedLogRecords(), parsed.getPartialSuccess().getErrorMessage()));
  }

  @Test
  void bytesThatAreNoResponseAreRefused() {
    assertThatThrownBy(() -> PartialSuccess.read(new byte[] {0x0a, 0x05, 0x08}))
        .isInstanceOf(MalformedWireException.class);
  }
}
