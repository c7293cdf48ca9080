package dev.inflight.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.otlp.wire.OtlpWire;
import dev.inflight.pdata.testing.TestData;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TracesTest {
  static int[][][] shapes() {
    return new int[][][] {
      {},
      {{}},
      {{0}},
      {{1}},
      {{3}},
      {{2, 5}},
      {{1}, {4, 0, 2}},
      {{7, 1, 3}, {}, {2}, {200}},
      {{130, 1}, {0, 0}, {300}},
    };
  }

  private static int spans(ExportTraceServiceRequest r) {
    int n = 0;
    for (ResourceSpans rs : r.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void theStreamingCountsEqualTheParsedMessagesCounts(int[][] shape) throws Exception {
    ExportTraceServiceRequest request = TestData.traceRequest(shape);
    byte[] bytes = request.toByteArray();
    ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(bytes);
    int expectedSpans = Arrays.stream(shape).flatMapToInt(Arrays::stream).sum();

    Traces traces = Traces.ofEncoded(bytes);

    assertThat(spans(parsed)).isEqualTo(expectedSpans);
    assertThat(traces.spanCount()).isEqualTo(expectedSpans);
    assertThat(traces.resourceSpansCount()).isEqualTo(parsed.getResourceSpansCount()).isEqualTo(shape.length);
    // The walk did not need the parsed message, and asking for it now gives the same message.
    assertThat(traces.request()).isEqualTo(request);
    assertThat(Traces.of(request).spanCount()).isEqualTo(expectedSpans);
  }

  @Test
  void resourceSpansCountAloneWalksTheBytes() {
    Traces traces = Traces.ofEncoded(TestData.traceRequest(new int[][] {{1}, {2}, {3}}).toByteArray());

    assertThat(traces.resourceSpansCount()).isEqualTo(3);
    assertThat(traces.spanCount()).isEqualTo(6);
  }

  @Test
  void aSpanCountGivenByTheReceiverIsKept() {
    byte[] bytes = TestData.traceRequest(new int[][] {{4}}).toByteArray();

    Traces traces = Traces.ofEncoded(bytes, 4);

    assertThat(traces.spanCount()).isEqualTo(4);
    assertThat(traces.resourceSpansCount()).isEqualTo(1);
    assertThat(traces.encoded()).isSameAs(bytes);
  }

  @Test
  void unknownFieldsAreSkipped() throws Exception {
    ExportTraceServiceRequest request = TestData.traceRequest(new int[][] {{2}});
    // Field 15 (varint) at every level, as a newer OTLP version might send.
    byte[] unknown = {(byte) OtlpWire.tag(15, OtlpWire.VARINT), 42};
    byte[] rs = concat(request.getResourceSpans(0).toByteArray(), unknown);
    byte[] scope = concat(request.getResourceSpans(0).getScopeSpans(0).toByteArray(), unknown);
    ResourceSpans withUnknownScope =
        ResourceSpans.parseFrom(concat(request.getResourceSpans(0).toBuilder().clearScopeSpans().build().toByteArray(),
            concat(lengthDelimited(2, scope), unknown)));
    byte[] bytes = concat(lengthDelimited(1, withUnknownScope.toByteArray()), concat(unknown, lengthDelimited(1, rs)));

    ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(bytes);
    Traces traces = Traces.ofEncoded(bytes);

    assertThat(traces.spanCount()).isEqualTo(spans(parsed)).isEqualTo(4);
    assertThat(traces.resourceSpansCount()).isEqualTo(parsed.getResourceSpansCount()).isEqualTo(2);
  }

  @Test
  void malformedBytesAreAMalformedDataException() {
    byte[][] bad = {
      {(byte) 0xFF}, // a tag that ends in the middle of a varint
      {0x0A, 0x05}, // resource_spans longer than the data, cut at its start
      {0x0A, 0x05, 0x12}, // resource_spans longer than the data
      {0x0A, 0x05, 0x12, 0x00}, // resource_spans longer than the data, cut after a scope_spans
      {0x0A, 0x02, 0x12, 0x05}, // scope_spans longer than its resource_spans
      {0x0A, 0x04, 0x12, 0x02, 0x12, 0x09}, // a span longer than its scope_spans
      {0x00}, // tag 0
      {0x0B}, // start group with no end
    };
    for (byte[] b : bad) {
      Traces traces = Traces.ofEncoded(b);
      assertThatThrownBy(traces::spanCount)
          .as(Arrays.toString(b))
          .isInstanceOf(MalformedDataException.class)
          .hasMessage("traces are not a valid ExportTraceServiceRequest")
          .hasCauseInstanceOf(InvalidProtocolBufferException.class);
      assertThatThrownBy(traces::request)
          .as(Arrays.toString(b))
          .isInstanceOf(MalformedDataException.class)
          .hasMessage("traces are not a valid ExportTraceServiceRequest");
    }
  }

  @Test
  void everyTruncationIsEitherAValidMessageWithTheSameCountsOrMalformed() {
    byte[] full = TestData.traceRequest(new int[][] {{2, 1}, {3}}).toByteArray();
    for (int len = 0; len < full.length; len++) {
      byte[] cut = Arrays.copyOf(full, len);
      ExportTraceServiceRequest parsed;
      try {
        parsed = ExportTraceServiceRequest.parseFrom(cut);
      } catch (InvalidProtocolBufferException e) {
        parsed = null;
      }
      Traces traces = Traces.ofEncoded(cut);
      if (parsed == null) {
        assertThatThrownBy(traces::spanCount).as("cut at %d of %d", len, full.length)
            .isInstanceOf(MalformedDataException.class);
      } else {
        assertThat(traces.spanCount()).as("cut at %d", len).isEqualTo(spans(parsed));
        assertThat(traces.resourceSpansCount()).as("cut at %d", len).isEqualTo(parsed.getResourceSpansCount());
      }
    }
  }

  @Test
  void emptyBytesAreAnEmptyRequest() {
    Traces traces = Traces.ofEncoded(new byte[0]);
    assertThat(traces.spanCount()).isZero();
    assertThat(traces.resourceSpansCount()).isZero();
    assertThat(traces.request()).isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
    assertThat(traces).hasToString("Traces[0 bytes]");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /** Field {@code field}, wire type 2, of {@code payload} (payload shorter than 128 bytes or not). */
  private static byte[] lengthDelimited(int field, byte[] payload) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(OtlpWire.tag(field, OtlpWire.LEN));
    int n = payload.length;
    while ((n & ~0x7F) != 0) {
      out.write((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    out.write(n);
    out.writeBytes(payload);
    return out.toByteArray();
  }
}
