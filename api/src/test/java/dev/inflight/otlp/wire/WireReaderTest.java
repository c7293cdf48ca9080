package dev.inflight.otlp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WireReaderTest {
  private static final byte[] REQUEST =
      ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(
              ResourceSpans.newBuilder()
                  .addScopeSpans(
                      ScopeSpans.newBuilder()
                          .addSpans(
                              Span.newBuilder()
                                  .setTraceId(ByteString.copyFrom(new byte[16]))
                                  .setName("GET /ü")
                                  .setStartTimeUnixNano(0x0102030405060708L)
                                  .setEndTimeUnixNano(-1L)
                                  .setFlags(0xCAFEBABE)
                                  .addAttributes(
                                      KeyValue.newBuilder()
                                          .setKey("n")
                                          .setValue(AnyValue.newBuilder().setIntValue(-5).build()))
                                  .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)))))
          .build()
          .toByteArray();

  @Test
  void nextSkipsOtherFieldsUpToTheWantedOneAndStopsAtTheLimit() throws IOException {
    Span span = Span.newBuilder().setName("a").build();
    ScopeSpans scope = ScopeSpans.newBuilder().addSpans(span).setSchemaUrl("s").addSpans(span.toBuilder().setName("b")).build();
    ResourceSpans rs = ResourceSpans.newBuilder().setSchemaUrl("r").addScopeSpans(scope).build();
    byte[] bytes = ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build().toByteArray();

    WireReader in = new WireReader(bytes);
    List<String> names = new ArrayList<>();
    while (in.next(OtlpWire.TraceRequest.RESOURCE_SPANS)) {
      int l1 = in.enter();
      while (in.next(OtlpWire.ResourceSpans.SCOPE_SPANS)) {
        int l2 = in.enter();
        while (in.next(OtlpWire.ScopeSpans.SPANS)) {
          int l3 = in.enter();
          assertThat(in.next(OtlpWire.Span.NAME)).isTrue();
          names.add(in.readString());
          assertThat(in.next(OtlpWire.Span.NAME)).isFalse(); // one name, then the span's limit
          in.popLimit(l3);
        }
        in.popLimit(l2);
      }
      in.popLimit(l1);
    }
    assertThat(names).containsExactly("a", "b");
    assertThat(in.readTag()).isZero();
  }

  @Test
  void walksNestedMessagesAndReadsScalars() throws IOException {
    WireReader in = new WireReader(REQUEST);
    assertThat(in.readTag()).isEqualTo(OtlpWire.TraceRequest.RESOURCE_SPANS);
    int rs = in.enter();
    assertThat(in.readTag()).isEqualTo(OtlpWire.ResourceSpans.SCOPE_SPANS);
    int ss = in.enter();
    assertThat(in.readTag()).isEqualTo(OtlpWire.ScopeSpans.SPANS);
    int span = in.enter();
    List<Object> read = new ArrayList<>();
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case OtlpWire.Span.NAME -> read.add(in.readString());
        case OtlpWire.Span.START_TIME_UNIX_NANO, OtlpWire.Span.END_TIME_UNIX_NANO -> read.add(in.readFixed64());
        case OtlpWire.Span.FLAGS -> read.add(in.readFixed32());
        case OtlpWire.Span.ATTRIBUTES -> {
          int kv = in.enter();
          assertThat(in.readTag()).isEqualTo(OtlpWire.KeyValue.KEY);
          in.skip(in.readLength());
          assertThat(in.readTag()).isEqualTo(OtlpWire.KeyValue.VALUE);
          int any = in.enter();
          assertThat(in.readTag()).isEqualTo(OtlpWire.AnyValue.INT_VALUE);
          read.add(in.readInt64());
          assertThat(in.readTag()).isZero();
          in.popLimit(any);
          assertThat(in.readTag()).isZero();
          in.popLimit(kv);
        }
        case OtlpWire.Span.STATUS -> {
          int status = in.enter();
          assertThat(in.readTag()).isEqualTo(OtlpWire.Status.CODE);
          read.add(in.readEnum());
          in.popLimit(status);
        }
        default -> in.skipField(tag);
      }
    }
    in.popLimit(span);
    assertThat(in.readTag()).isZero();
    in.popLimit(ss);
    assertThat(in.readTag()).isZero();
    in.popLimit(rs);
    assertThat(in.readTag()).isZero();
    assertThat(in.position()).isEqualTo(REQUEST.length);
    assertThat(read).containsExactly("GET /ü", 0x0102030405060708L, -1L, -5L, 2, 0xCAFEBABE);
  }

  @Test
  void seekComesBackInsideTheLimit() throws IOException {
    WireReader in = new WireReader(REQUEST);
    in.readTag();
    int start = in.position() + 1;
    int old = in.enter();
    assertThat(in.position()).isEqualTo(start);
    in.skipToLimit();
    assertThat(in.readTag()).isZero();
    in.seek(start);
    assertThat(in.readTag()).isEqualTo(OtlpWire.ResourceSpans.SCOPE_SPANS);
    in.popLimit(old);
    assertThatThrownBy(() -> in.seek(REQUEST.length + 1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  /** Every length of varint, at the end of the buffer and with room after it, as CodedInputStream reads it. */
  @Test
  void varintsReadLikeCodedInputStream() throws IOException {
    Random random = new Random(18);
    for (int i = 0; i < 20_000; i++) {
      long value = random.nextLong() >>> random.nextInt(64);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      cos.writeUInt64NoTag(value);
      cos.writeRawBytes(new byte[random.nextInt(12)]);
      cos.flush();
      byte[] bytes = out.toByteArray();
      assertThat(new WireReader(bytes).readVarint32()).isEqualTo(CodedInputStream.newInstance(bytes).readRawVarint32());
      assertThat(new WireReader(bytes).readVarint64()).isEqualTo(value);
      WireReader in = new WireReader(bytes);
      in.readVarint32();
      assertThat(in.position()).isEqualTo(CodedOutputStream.computeUInt64SizeNoTag(value));
    }
    byte[] eleven = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, 0};
    assertThatThrownBy(() -> new WireReader(eleven).readVarint32()).hasMessage("malformed varint at byte 0");
  }

  @Test
  void resetReadsASlice() throws IOException {
    byte[] buf = new byte[] {99, 99, 8, 42, 99};
    WireReader in = new WireReader(new byte[0]).reset(buf, 2, 2);
    assertThat(in.readTag()).isEqualTo(1 << 3);
    assertThat(in.readVarint64()).isEqualTo(42);
    assertThat(in.readTag()).isZero();
  }

  @Test
  void malformedInputSaysWhatAndWhere() {
    assertThat(failure(new byte[] {0x0A, 5, 1})).isEqualTo("truncated at byte 2");
    assertThat(failure(new byte[] {0x00})).isEqualTo("invalid tag (field number 0) at byte 1");
    assertThat(failure(new byte[] {0x0F})).isEqualTo("invalid wire type at byte 1");
    assertThat(failure(new byte[] {0x08, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1}))
        .isEqualTo("malformed varint at byte 1");
    assertThat(failure(new byte[] {0x0A, -1, -1, -1, -1, 0x0F})).isEqualTo("negative length at byte 6");
    assertThat(failure(new byte[] {0x09, 1, 2, 3})).isEqualTo("truncated at byte 1");
    assertThat(failure(new byte[] {0x0B, 0x08, 1})).isEqualTo("end-group tag does not match its group at byte 3");
    assertThat(failure(new byte[] {0x0B, 0x14})).isEqualTo("end-group tag does not match its group at byte 2");
    assertThat(failure(new byte[] {0x0C})).isEqualTo("end-group tag does not match its group at byte 1");
    assertThat(failure(new byte[] {0x0B, 0x13, 0x14, 0x0C, 0x08, 1})).isEqualTo("none");
  }

  @Test
  void invalidUtf8IsRefused() {
    WireReader in = new WireReader(new byte[] {2, (byte) 0xC3, 0x28});
    assertThatThrownBy(in::readString)
        .isInstanceOf(MalformedWireException.class)
        .hasMessage("invalid UTF-8 at byte 1")
        .satisfies(e -> assertThat(((MalformedWireException) e).reason()).isEqualTo("invalid UTF-8"));
  }

  /** On random and damaged bytes, the reader accepts and refuses exactly what CodedInputStream does. */
  @Test
  void skipsLikeCodedInputStream() throws IOException {
    Random random = new Random(17);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = i % 2 == 0 ? damaged(random) : randomFields(random);
      String expected = skipAll(CodedInputStream.newInstance(bytes));
      String actual;
      try {
        WireReader in = new WireReader(bytes);
        StringBuilder tags = new StringBuilder();
        int tag;
        while ((tag = in.readTag()) != 0) {
          tags.append(tag).append(' ');
          in.skipField(tag);
        }
        actual = tags.toString();
      } catch (MalformedWireException e) {
        actual = "error";
      }
      assertThat(actual).as("bytes %s", java.util.Arrays.toString(bytes)).isEqualTo(expected);
    }
  }

  private static String skipAll(CodedInputStream in) {
    try {
      StringBuilder tags = new StringBuilder();
      int tag;
      while ((tag = in.readTag()) != 0) {
        tags.append(tag).append(' ');
        in.skipField(tag);
      }
      return tags.toString();
    } catch (IOException e) {
      return "error";
    }
  }

  private static byte[] damaged(Random random) {
    byte[] bytes = REQUEST.clone();
    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
    return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
  }

  private static byte[] randomFields(Random random) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    for (int f = random.nextInt(6); f > 0; f--) {
      int number = 1 + random.nextInt(20);
      switch (random.nextInt(5)) {
        case 0 -> cos.writeUInt64(number, random.nextLong());
        case 1 -> cos.writeFixed64(number, random.nextLong());
        case 2 -> cos.writeFixed32(number, random.nextInt());
        case 3 -> cos.writeByteArray(number, new byte[random.nextInt(4)]);
        default -> {
          cos.writeTag(number, OtlpWire.START_GROUP);
          cos.writeUInt32(number + 1, 7);
          cos.writeTag(random.nextBoolean() ? number : number + 2, OtlpWire.END_GROUP);
        }
      }
    }
    cos.flush();
    byte[] bytes = out.toByteArray();
    return java.util.Arrays.copyOf(bytes, Math.max(0, bytes.length - random.nextInt(2)));
  }

  private static String failure(byte[] bytes) {
    try {
      WireReader in = new WireReader(bytes);
      int tag;
      while ((tag = in.readTag()) != 0) {
        in.skipField(tag);
      }
      return "none";
    } catch (MalformedWireException e) {
      return e.getMessage();
    }
  }
}
