package dev.inflight.processor.resource;

import dev.inflight.processor.resource.ResourceProcessorConfig.Action;
import dev.inflight.processor.resource.ResourceProcessorConfig.AttributeAction;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configured actions, compiled once: constant values are turned into protobuf {@link KeyValue}s
 * when the processor is made, so applying them allocates only the changed attribute list.
 * Semantics are the Collector's {@code attraction}: insert sets an absent key, update a present one,
 * upsert either, delete removes it; a {@code from_attribute} that is absent makes the action do
 * nothing. Immutable and thread-safe.
 */
final class AttributeActions {
  private record Compiled(Action action, String key, KeyValue constant, String fromAttribute) {}

  private final List<Compiled> actions;

  private AttributeActions(List<Compiled> actions) {
    this.actions = actions;
  }

  /**
   * @throws IllegalArgumentException for a config {@link ResourceProcessorConfig#validate} refuses
   */
  static AttributeActions of(List<AttributeAction> config) {
    List<Compiled> compiled = new ArrayList<>(config.size());
    for (AttributeAction a : config) {
      if (a == null || a.key().isEmpty() || a.action() == null) {
        throw new IllegalArgumentException("invalid resource attribute action: " + a);
      }
      KeyValue constant = null;
      String from = null;
      if (a.action() != Action.DELETE) {
        if (a.value() != null) {
          constant = KeyValue.newBuilder().setKey(a.key()).setValue(toAnyValue(a.value())).build();
        } else if (!a.fromAttribute().isEmpty()) {
          from = a.fromAttribute();
        } else {
          throw new IllegalArgumentException(
              "action " + a.action().key() + " on \"" + a.key() + "\" needs value or from_attribute");
        }
      }
      compiled.add(new Compiled(a.action(), a.key(), constant, from));
    }
    return new AttributeActions(List.copyOf(compiled));
  }

  /**
   * Applies every action in order.
   *
   * @return {@code resource} itself when no action changed anything, else a new resource with the
   *     same other fields (dropped attribute count, entity references, unknown fields)
   */
  Resource apply(Resource resource) {
    List<KeyValue> original = resource.getAttributesList();
    List<KeyValue> attrs = null; // copied on first change
    for (Compiled a : actions) {
      List<KeyValue> view = attrs != null ? attrs : original;
      int at = indexOf(view, a.key);
      if (a.action == Action.DELETE) {
        if (at >= 0) {
          attrs = attrs != null ? attrs : new ArrayList<>(original);
          attrs.removeIf(kv -> kv.getKey().equals(a.key)); // duplicates too: the key is gone
        }
        continue;
      }
      if ((a.action == Action.INSERT && at >= 0) || (a.action == Action.UPDATE && at < 0)) {
        continue;
      }
      KeyValue kv = a.constant;
      if (kv == null) {
        int from = indexOf(view, a.fromAttribute);
        if (from < 0) {
          continue;
        }
        kv = KeyValue.newBuilder().setKey(a.key).setValue(view.get(from).getValue()).build();
      }
      attrs = attrs != null ? attrs : new ArrayList<>(original);
      if (at >= 0) {
        attrs.set(at, kv);
      } else {
        attrs.add(kv);
      }
    }
    if (attrs == null) {
      return resource;
    }
    return resource.toBuilder().clearAttributes().addAllAttributes(attrs).build();
  }

  private static int indexOf(List<KeyValue> attrs, String key) {
    for (int i = 0, n = attrs.size(); i < n; i++) {
      if (attrs.get(i).getKey().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * A config value as an OTLP value, keeping its YAML type: string, int (64-bit), double, bool, or
   * an array / key-value list of those (the Collector's {@code pcommon.Value.FromRaw}).
   *
   * @throws IllegalArgumentException naming what cannot be represented (the message follows
   *     "value ")
   */
  static AnyValue toAnyValue(Object value) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (value == null) {
      return b.build(); // an empty value, as inside a list written with a bare "-"
    }
    if (value instanceof String s) {
      return b.setStringValue(s).build();
    }
    if (value instanceof Boolean bool) {
      return b.setBoolValue(bool).build();
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      return b.setIntValue(((Number) value).longValue()).build();
    }
    if (value instanceof BigInteger big) {
      if (big.bitLength() >= 64) {
        throw new IllegalArgumentException(
            big + " is out of range for a 64-bit integer; quote it to send it as a string");
      }
      return b.setIntValue(big.longValue()).build();
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      return b.setDoubleValue(((Number) value).doubleValue()).build();
    }
    if (value instanceof List<?> list) {
      ArrayValue.Builder array = ArrayValue.newBuilder();
      for (Object item : list) {
        array.addValues(toAnyValue(item));
      }
      return b.setArrayValue(array).build();
    }
    if (value instanceof Map<?, ?> map) {
      KeyValueList.Builder kvs = KeyValueList.newBuilder();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        kvs.addValues(
            KeyValue.newBuilder().setKey(String.valueOf(e.getKey())).setValue(toAnyValue(e.getValue())));
      }
      return b.setKvlistValue(kvs).build();
    }
    throw new IllegalArgumentException(
        "has an unsupported type " + value.getClass().getSimpleName()
            + "; use a string, number, boolean, list or map");
  }
}
