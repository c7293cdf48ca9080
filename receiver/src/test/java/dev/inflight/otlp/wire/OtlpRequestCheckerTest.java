package dev.inflight.otlp.wire;

import dev.inflight.receiver.otlp.Requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OtlpRequestCheckerTest {
  private static final OtlpRequestChecker TRACES = OtlpRequestChecker.TRACES;
  private static final OtlpRequestChecker METRICS = OtlpRequestChecker.METRICS;

  @Test
  void countsSpansAcrossResourcesAndScopes() throws Exception {
    assertThat(TRACES.check(Requests.traces(new int[][] {{3, 0, 2}, {}, {5}}).toByteArray())).isEqualTo(10);
    assertThat(TRACES.check(Requests.traces(1).toByteArray())).isEqualTo(1);
    assertThat(TRACES.check(new byte[0])).isZero();
  }

  @Test
  void countsMetricDataPoints() throws Exception {
    assertThat(METRICS.check(Requests.metrics().toByteArray())).isEqualTo(6);
  }

  @Test
  void everyTruncationOfAValidRequestFailsOrIsAShorterValidRequest() {
    byte[] full = Requests.traces(new int[][] {{2}}).toByteArray();
    for (int cut = 1; cut < full.length; cut++) {
      byte[] part = Arrays.copyOf(full, cut);
      boolean parses;
      try {
        ExportTraceServiceRequest.parseFrom(part);
        parses = true;
      } catch (Exception e) {
        parses = false;
      }
      boolean passes;
      try {
        TRACES.check(part);
        passes = true;
      } catch (InvalidRequestException e) {
        passes = false;
      }
      // Never accept what protobuf-java would not parse: downstream components rely on it.
      if (passes) {
        assertThat(parses).as("cut at %d passed the check but does not parse", cut).isTrue();
      }
    }
    assertThatThrownBy(() -> TRACES.check(Arrays.copyOf(full, full.length - 3)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("not a valid ExportTraceServiceRequest at resource_spans[0]");
  }

  @Test
  void randomBytesNeverPassUnlessProtobufParsesThem() {
    Random random = new Random(42);
    byte[] valid = Requests.traces(new int[][] {{2, 1}}).toByteArray();
    for (int i = 0; i < 2000; i++) {
      byte[] b = valid.clone();
      for (int k = 0; k < 1 + random.nextInt(4); k++) {
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      }
      boolean passes;
      try {
        TRACES.check(b);
        passes = true;
      } catch (InvalidRequestException e) {
        passes = false;
      }
      if (passes) {
        try {
          ExportTraceServiceRequest.parseFrom(b);
        } catch (Exception e) {
          throw new AssertionError("mutation " + i + " passed the check but does not parse: " + e);
        }
      }
    }
  }

  @Test
  void traceIdMustBe16BytesAndSpanId8() {
    byte[] shortTrace = Requests.withSpan(Requests.span(0).setTraceId(ByteString.copyFrom(new byte[20])).build()).toByteArray();
    assertThatThrownBy(() -> TRACES.check(shortTrace))
        .hasMessage("not a valid ExportTraceServiceRequest at resource_spans[0].scope_spans[0].spans[0].trace_id:"
            + " must be 16 bytes, not 20");
    byte[] badSpan = Requests.withSpan(Requests.span(0).setSpanId(ByteString.copyFrom(new byte[4])).build()).toByteArray();
    assertThatThrownBy(() -> TRACES.check(badSpan)).hasMessageEndingWith("spans[0].span_id: must be 8 bytes, not 4");
    byte[] badParent = Requests.withSpan(Requests.span(0).setParentSpanId(ByteString.copyFrom(new byte[3])).build()).toByteArray();
    assertThatThrownBy(() -> TRACES.check(badParent)).hasMessageEndingWith("parent_span_id: must be 8 bytes or empty, not 3");
  }

  @Test
  void spansAndLinksNeedIdsButARootSpanHasNoParent() throws Exception {
    assertThat(TRACES.check(Requests.withSpan(Requests.span(0).clearParentSpanId().build()).toByteArray())).isEqualTo(1);
    assertThatThrownBy(() -> TRACES.check(Requests.withSpan(Requests.span(0).clearTraceId().build()).toByteArray()))
        .hasMessageEndingWith("spans[0]: trace_id is missing");
    assertThatThrownBy(() -> TRACES.check(Requests.withSpan(Requests.span(0).clearSpanId().build()).toByteArray()))
        .hasMessageEndingWith("spans[0]: span_id is missing");
    Span noLinkIds = Requests.span(0).setLinks(0, Span.Link.newBuilder().setTraceId(Requests.id(16, 1))).build();
    assertThatThrownBy(() -> TRACES.check(Requests.withSpan(noLinkIds).toByteArray()))
        .hasMessageEndingWith("spans[0].links[0]: span_id is missing");
  }

  @Test
  void exemplarIdsMayBeEmptyButNotWrong() {
    var ok = Requests.metrics().toBuilder();
    ok.getResourceMetricsBuilder(0).getScopeMetricsBuilder(0).getMetricsBuilder(0).getGaugeBuilder()
        .getDataPointsBuilder(0).addExemplars(Exemplar.newBuilder().setAsDouble(1));
    assertThat(catching(() -> METRICS.check(ok.build().toByteArray()))).isNull();
    var bad = Requests.metrics().toBuilder();
    bad.getResourceMetricsBuilder(0).getScopeMetricsBuilder(0).getMetricsBuilder(0).getGaugeBuilder()
        .getDataPointsBuilder(0).addExemplars(Exemplar.newBuilder().setTraceId(ByteString.copyFrom(new byte[5])));
    assertThatThrownBy(() -> METRICS.check(bad.build().toByteArray()))
        .hasMessageEndingWith("gauge.data_points[0].exemplars[0].trace_id: must be 16 bytes or empty, not 5");
  }

  @Test
  void theWrongMessageOnTheWrongPathIsCaught() {
    assertThatThrownBy(() -> TRACES.check(Requests.metrics().toByteArray()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("not a valid ExportTraceServiceRequest at resource_spans[0].scope_spans[0].spans[0]");
    assertThatThrownBy(() -> METRICS.check(Requests.traces(2).toByteArray()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("not a valid ExportMetricsServiceRequest at resource_metrics[0].scope_metrics[0].metrics[0]");
  }

  @Test
  void aKnownFieldWithTheWrongWireTypeIsAnError() throws Exception {
    ByteArrayOutputStream spanBytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(spanBytes);
    out.writeBytes(1, Requests.id(16, 1));
    out.writeBytes(2, Requests.id(8, 1));
    out.writeUInt64(7, 123); // start_time_unix_nano is fixed64
    out.flush();
    byte[] request = wrapSpan(spanBytes.toByteArray());
    assertThatThrownBy(() -> TRACES.check(request))
        .hasMessageEndingWith("spans[0].start_time_unix_nano: wire type 0 where a fixed64 was expected");
  }

  @Test
  void unknownFieldsAreSkipped() throws Exception {
    ByteArrayOutputStream spanBytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(spanBytes);
    out.writeBytes(1, Requests.id(16, 1));
    out.writeBytes(2, Requests.id(8, 1));
    out.writeString(99, "from a newer proto");
    out.writeUInt64(100, 5);
    out.writeFixed32(101, 5);
    out.flush();
    assertThat(TRACES.check(wrapSpan(spanBytes.toByteArray()))).isEqualTo(1);
  }

  @Test
  void stringsMustBeUtf8AsProtobufJavaRequires() throws Exception {
    Span span = Requests.span(0).setName("ok").build();
    byte[] request = Requests.withSpan(span).toByteArray();
    int at = indexOf(request, "ok".getBytes(StandardCharsets.US_ASCII));
    request[at] = (byte) 0xC3; // a lead byte followed by 'k'
    assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(request)).isNotNull();
    assertThatThrownBy(() -> TRACES.check(request)).hasMessageEndingWith("spans[0].name: invalid UTF-8");
    byte[] accents = Requests.withSpan(Requests.span(0).setName("größe ☃ 𝄞 写").build()).toByteArray();
    assertThat(TRACES.check(accents)).isEqualTo(1);
  }

  @Test
  void utf8ValidatorAgreesWithTheJdk() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[random.nextInt(24)];
      random.nextBytes(b);
      if (random.nextBoolean()) {
        for (int k = 0; k < b.length; k++) {
          if (random.nextInt(4) > 0) {
            b[k] &= 0x7F;
          }
        }
      }
      boolean jdk = isValidByJdk(b);
      assertThat(WireReader.isValidUtf8(b, 0, b.length)).as("bytes %s", Arrays.toString(b)).isEqualTo(jdk);
    }
    byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
    byte[] overlong = {(byte) 0xC0, (byte) 0x80};
    byte[] tooHigh = {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80};
    assertThat(WireReader.isValidUtf8(surrogate, 0, 3)).isFalse();
    assertThat(WireReader.isValidUtf8(overlong, 0, 2)).isFalse();
    assertThat(WireReader.isValidUtf8(tooHigh, 0, 4)).isFalse();
  }

  @Test
  void nestingIsBounded() {
    AnyValue value = AnyValue.newBuilder().setStringValue("leaf").build();
    for (int i = 0; i < 40; i++) {
      value = AnyValue.newBuilder()
          .setKvlistValue(KeyValueList.newBuilder().addValues(KeyValue.newBuilder().setKey("k").setValue(value)))
          .build();
    }
    Span deep = Requests.span(0).addAttributes(KeyValue.newBuilder().setKey("deep").setValue(value)).build();
    assertThatThrownBy(() -> TRACES.check(Requests.withSpan(deep).toByteArray()))
        .hasMessageContaining("nested deeper than 64 levels");
  }

  private static boolean isValidByJdk(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] wrapSpan(byte[] span) throws Exception {
    byte[] scope = field(2, span);
    byte[] resource = field(2, scope);
    return field(1, resource);
  }

  private static byte[] field(int number, byte[] message) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeByteArray(number, message);
    out.flush();
    return bytes.toByteArray();
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

  private interface Check {
    void run() throws Exception;
  }

  private static Throwable catching(Check c) {
    try {
      c.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }
}
