package dev.inflight.exporter.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.LogsExporter;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.exporter.debug.DebugExporterConfig.Verbosity;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.MalformedDataException;
import dev.inflight.pdata.testing.TestData;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The debug exporter's logs at each verbosity, compared to the Collector's layout. */
class DebugLogsTest {
  private static final ComponentId ID = ComponentId.of("debug");

  @RegisterExtension final CapturedLog captured = new CapturedLog("exporter.debug");

  private static LogsExporter exporter(Verbosity verbosity) throws Exception {
    CreateSettings settings = new CreateSettings(
        ID, ComponentKind.EXPORTER, ComponentTelemetry.noop(ComponentKind.EXPORTER, ID), new HashMap<>());
    return new DebugExporterFactory().createLogs(settings, new DebugExporterConfig(verbosity, null, null));
  }

  /**
   * Two resources; the second has two scopes. Records 0 to 8 have the bodies of every kind in turn
   * (Str, Bool, Int, Double, Bytes, Slice, Map, Empty, Str), trace context on the even ones. Encoded,
   * as a receiver hands them on.
   */
  private static Logs everyBodyKind() {
    return Logs.ofEncoded(TestData.logsRequest(new int[][] {{1}, {1, 7}}).toByteArray());
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static AnyValue map(KeyValue... kvs) {
    return AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addAllValues(java.util.List.of(kvs))).build();
  }

  @Test
  void basicLogsOneSummaryLinePerBatch() throws Exception {
    LogsExporter e = exporter(Verbosity.BASIC);

    e.consumeLogs(everyBodyKind());
    e.consumeLogs(Logs.of(ExportLogsServiceRequest.getDefaultInstance()));

    assertThat(captured.messages())
        .containsExactly("Logs: resource logs 2, log records 9", "Logs: resource logs 0, log records 0");
  }

  @Test
  void basicCountsWithoutParsing() throws Exception {
    // A record whose severity text is not UTF-8: the count walk skips it, a parse refuses it.
    byte[] bytes = TestData.logsRequest(new int[][] {{2}}).toByteArray();
    byte[] info = "INFO".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(bytes, info);
    bytes[at] = (byte) 0xC3;
    bytes[at + 1] = (byte) 0x28;
    Logs malformed = Logs.ofEncoded(bytes);
    assertThatThrownBy(malformed::request).isInstanceOf(MalformedDataException.class);

    exporter(Verbosity.BASIC).consumeLogs(Logs.ofEncoded(bytes));

    assertThat(captured.messages()).containsExactly("Logs: resource logs 1, log records 2");
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
    throw new AssertionError("not found");
  }

  @Test
  void normalLogsAResourceAndScopeLineThenEachRecordsBodyAndAttributesOnOneLine() throws Exception {
    exporter(Verbosity.NORMAL).consumeLogs(everyBodyKind());

    assertThat(captured.messages())
        .containsExactly(
            "Logs: resource logs 2, log records 9",
            """
            ResourceLog #0 [https://opentelemetry.io/schemas/1.21.0] service.name=svc-0 host.name=host-0
            ScopeLog #0 logger-0@2.0
            user 42 logged in: ünïcødé ✓ "quoted" log.no=n0 count=0
            ResourceLog #1 [https://opentelemetry.io/schemas/1.21.0] service.name=svc-1 host.name=host-1
            ScopeLog #0 logger-0@2.0
            true log.no=n1 count=1
            ScopeLog #1 logger-1@2.0
            -2000000015 log.no=n2 count=2
            3.25 log.no=n3 count=3
            AAH+BA== log.no=n4 count=4
            ["a",5,[true]] log.no=n5 count=5
            {"event":"checkout","nested":{"n":1.5}} log.no=n6 count=6
             log.no=n7 count=7
            user 42 logged in: ünïcødé ✓ "quoted" log.no=n8 count=8""");
  }

  @Test
  void detailedPrintsEveryFieldOfEveryRecord() throws Exception {
    exporter(Verbosity.DETAILED).consumeLogs(everyBodyKind());

    assertThat(captured.messages()).hasSize(2);
    assertThat(captured.messages().get(0)).isEqualTo("Logs: resource logs 2, log records 9");
    assertThat(captured.messages().get(1))
        .isEqualTo(
            """
            ResourceLog #0
            Resource SchemaURL: https://opentelemetry.io/schemas/1.21.0
            Resource attributes:
                 -> service.name: Str(svc-0)
                 -> host.name: Str(host-0)
            ScopeLogs #0
            ScopeLogs SchemaURL:\s
            InstrumentationScope logger-0 2.0
            LogRecord #0
            ObservedTimestamp: 2023-11-14T22:13:20.000000007Z
            Timestamp: 2023-11-14T22:13:20.000000000Z
            SeverityText: INFO
            SeverityNumber: Info(9)
            Body: Str(user 42 logged in: ünïcødé ✓ "quoted")
            Attributes:
                 -> log.no: Str(n0)
                 -> count: Int(0)
            Trace ID: 03000000000000000000000000000000
            Span ID: 0400000000000000
            Flags: 1
            ResourceLog #1
            Resource SchemaURL: https://opentelemetry.io/schemas/1.21.0
            Resource attributes:
                 -> service.name: Str(svc-1)
                 -> host.name: Str(host-1)
            ScopeLogs #0
            ScopeLogs SchemaURL:\s
            InstrumentationScope logger-0 2.0
            LogRecord #0
            ObservedTimestamp: 2023-11-14T22:13:20.001000007Z
            Timestamp: 2023-11-14T22:13:20.001000000Z
            SeverityText: WARN
            SeverityNumber: Warn(13)
            Body: Bool(true)
            Attributes:
                 -> log.no: Str(n1)
                 -> count: Int(1)
            Trace ID:\s
            Span ID:\s
            Flags: 0
            ScopeLogs #1
            ScopeLogs SchemaURL:\s
            InstrumentationScope logger-1 2.0
            LogRecord #0
            ObservedTimestamp: 2023-11-14T22:13:20.002000007Z
            Timestamp: 2023-11-14T22:13:20.002000000Z
            SeverityText: ERROR
            SeverityNumber: Error(17)
            Body: Int(-2000000015)
            Attributes:
                 -> log.no: Str(n2)
                 -> count: Int(2)
            Trace ID: 03000000000000000000000000000002
            Span ID: 0400000000000002
            Flags: 1
            LogRecord #1
            ObservedTimestamp: 2023-11-14T22:13:20.003000007Z
            Timestamp: 2023-11-14T22:13:20.003000000Z
            SeverityText: DEBUG
            SeverityNumber: Debug(5)
            Body: Double(3.25)
            Attributes:
                 -> log.no: Str(n3)
                 -> count: Int(3)
            Trace ID:\s
            Span ID:\s
            Flags: 0
            LogRecord #2
            ObservedTimestamp: 2023-11-14T22:13:20.004000007Z
            Timestamp: 2023-11-14T22:13:20.004000000Z
            SeverityText: INFO
            SeverityNumber: Info(9)
            Body: Bytes(AAH+BA==)
            Attributes:
                 -> log.no: Str(n4)
                 -> count: Int(4)
            Trace ID: 03000000000000000000000000000004
            Span ID: 0400000000000004
            Flags: 1
            LogRecord #3
            ObservedTimestamp: 2023-11-14T22:13:20.005000007Z
            Timestamp: 2023-11-14T22:13:20.005000000Z
            SeverityText: WARN
            SeverityNumber: Warn(13)
            Body: Slice(["a",5,[true]])
            Attributes:
                 -> log.no: Str(n5)
                 -> count: Int(5)
            Trace ID:\s
            Span ID:\s
            Flags: 0
            LogRecord #4
            ObservedTimestamp: 2023-11-14T22:13:20.006000007Z
            Timestamp: 2023-11-14T22:13:20.006000000Z
            SeverityText: ERROR
            SeverityNumber: Error(17)
            Body: Map({"event":"checkout","nested":{"n":1.5}})
            Attributes:
                 -> log.no: Str(n6)
                 -> count: Int(6)
            Trace ID: 03000000000000000000000000000006
            Span ID: 0400000000000006
            Flags: 1
            LogRecord #5
            ObservedTimestamp: 2023-11-14T22:13:20.007000007Z
            Timestamp: 2023-11-14T22:13:20.007000000Z
            SeverityText: DEBUG
            SeverityNumber: Debug(5)
            Body: Empty()
            Attributes:
                 -> log.no: Str(n7)
                 -> count: Int(7)
            Trace ID:\s
            Span ID:\s
            Flags: 0
            LogRecord #6
            ObservedTimestamp: 2023-11-14T22:13:20.008000007Z
            Timestamp: 2023-11-14T22:13:20.008000000Z
            SeverityText: INFO
            SeverityNumber: Info(9)
            Body: Str(user 42 logged in: ünïcødé ✓ "quoted")
            Attributes:
                 -> log.no: Str(n8)
                 -> count: Int(8)
            Trace ID: 03000000000000000000000000000008
            Span ID: 0400000000000008
            Flags: 1""");
  }

  /** A record with what TestData's have not: an event name, an unknown severity, a map body out of key order. */
  private static Logs oddRecord() {
    LogRecord record =
        LogRecord.newBuilder()
            .setEventName("checkout.done")
            .setSeverityNumberValue(99)
            .setFlags(0x80000001)
            .setBody(map(kv("z", AnyValue.newBuilder().setIntValue(1).build()), kv("a", map(kv("y", str("<&>")), kv("b", str("x"))))))
            .addAttributes(kv("scope.first", map(kv("k", str("v")), kv("k", str("last")))))
            .build();
    return Logs.of(
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
                            .setScope(InstrumentationScope.newBuilder().addAttributes(kv("lib", str("slf4j"))))
                            .addLogRecords(record)
                            .addLogRecords(LogRecord.newBuilder().setBody(str("no attributes")))))
            .build());
  }

  @Test
  void detailedPrintsTheEventNameAnUnknownSeverityAndMapsWithSortedKeys() throws Exception {
    exporter(Verbosity.DETAILED).consumeLogs(oddRecord());

    assertThat(captured.messages().get(1))
        .isEqualTo(
            """
            ResourceLog #0
            Resource SchemaURL:\s
            ScopeLogs #0
            ScopeLogs SchemaURL: https://opentelemetry.io/schemas/1.26.0
            InstrumentationScope \s
            InstrumentationScope attributes:
                 -> lib: Str(slf4j)
            LogRecord #0
            ObservedTimestamp: 1970-01-01T00:00:00.000000000Z
            Timestamp: 1970-01-01T00:00:00.000000000Z
            SeverityText:\s
            SeverityNumber: (99)
            EventName: checkout.done
            Body: Map({"a":{"b":"x","y":"<&>"},"z":1})
            Attributes:
                 -> scope.first: Map({"k":"last"})
            Trace ID:\s
            Span ID:\s
            Flags: 2147483649
            LogRecord #1
            ObservedTimestamp: 1970-01-01T00:00:00.000000000Z
            Timestamp: 1970-01-01T00:00:00.000000000Z
            SeverityText:\s
            SeverityNumber: Unspecified(0)
            Body: Str(no attributes)
            Trace ID:\s
            Span ID:\s
            Flags: 0""");
  }

  @Test
  void normalLeavesOutWhatIsNotSetButKeepsTheCollectorsSpaceAfterTheBody() throws Exception {
    exporter(Verbosity.NORMAL).consumeLogs(oddRecord());

    assertThat(captured.messages().get(1))
        .isEqualTo(
            "ResourceLog #0\n"
                + "ScopeLog #0 [https://opentelemetry.io/schemas/1.26.0] lib=slf4j\n"
                + "{\"a\":{\"b\":\"x\",\"y\":\"<&>\"},\"z\":1} scope.first={\"k\":\"last\"}\n"
                + "no attributes ");
  }

  @Test
  void severityNamesArePdatas() {
    assertThat(LogsText.severity(io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_WARN2)).isEqualTo("Warn2");
    assertThat(LogsText.severity(io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_FATAL4)).isEqualTo("Fatal4");
    assertThat(LogsText.severity(io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_TRACE)).isEqualTo("Trace");
  }

  @Test
  void anEmptyBatchLogsOnlyItsSummary() throws Exception {
    exporter(Verbosity.DETAILED).consumeLogs(Logs.of(ExportLogsServiceRequest.getDefaultInstance()));

    assertThat(captured.messages()).containsExactly("Logs: resource logs 0, log records 0");
  }

  @Test
  void logsAreSampledLikeTheOtherSignals() {
    AtomicLong now = new AtomicLong();
    DebugExporter exporter =
        new DebugExporter(captured.logger(), new DebugExporterConfig(Verbosity.NORMAL, 1, 2), now::get);

    for (int i = 0; i < 5; i++) {
      exporter.pushLogs(TestData.logs(1));
    }

    // Batches 1 (initial), 3 and 5 (every 2nd after it), each with its summary and its record line.
    assertThat(captured.messages()).hasSize(6);
    assertThat(captured.messages()).filteredOn(m -> m.startsWith("Logs: ")).hasSize(3);
  }
}
