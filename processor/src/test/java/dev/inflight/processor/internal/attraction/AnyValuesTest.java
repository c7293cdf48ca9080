package dev.inflight.processor.internal.attraction;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import org.junit.jupiter.api.Test;

/** Values as the Collector's {@code Value.AsString} writes them (what convert and regexp matching see). */
class AnyValuesTest {
  private static AnyValue d(double v) {
    return AnyValue.newBuilder().setDoubleValue(v).build();
  }

  @Test
  void doublesAsEs6NumbersAsTheCollectorWritesThem() {
    assertThat(AnyValues.asString(d(0.25))).isEqualTo("0.25");
    assertThat(AnyValues.asString(d(3.0))).isEqualTo("3");
    assertThat(AnyValues.asString(d(-1234567.5))).isEqualTo("-1234567.5");
    assertThat(AnyValues.asString(d(1e20))).isEqualTo("100000000000000000000");
    assertThat(AnyValues.asString(d(1e21))).isEqualTo("1e+21");
    assertThat(AnyValues.asString(d(1.5e-7))).isEqualTo("1.5e-7");
    assertThat(AnyValues.asString(d(0.000001))).isEqualTo("0.000001");
    assertThat(AnyValues.asString(d(0))).isEqualTo("0");
  }

  @Test
  void arraysAndMapsAsJson() {
    AnyValue list =
        AnyValue.newBuilder()
            .setArrayValue(
                ArrayValue.newBuilder()
                    .addValues(AnyValue.newBuilder().setStringValue("a\"b"))
                    .addValues(AnyValue.newBuilder().setIntValue(2))
                    .addValues(AnyValue.newBuilder().setBoolValue(true)))
            .build();
    AnyValue map =
        AnyValue.newBuilder()
            .setKvlistValue(KeyValueList.newBuilder().addValues(KeyValue.newBuilder().setKey("k").setValue(list)))
            .build();

    assertThat(AnyValues.asString(map)).isEqualTo("{\"k\":[\"a\\\"b\",2,true]}");
  }
}
