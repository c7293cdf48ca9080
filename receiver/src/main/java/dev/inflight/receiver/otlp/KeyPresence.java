package dev.inflight.receiver.otlp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Binds a protocol the way the Collector reads {@code protocols}: a key that is absent leaves the
 * protocol off (null), a key written without a value ({@code grpc:}, YAML null) turns it on with
 * every default, and a map is bound as usual (the standard record binding, so unknown keys are
 * still reported with suggestions). The config loader merges the user's YAML over the factory's
 * defaults, which name no protocol, so the presence of the key survives the merge.
 */
abstract class KeyPresence<T> extends JsonDeserializer<T> {
  private final Class<T> type;
  private final Supplier<T> defaults;

  KeyPresence(Class<T> type, Supplier<T> defaults) {
    this.type = type;
    this.defaults = defaults;
  }

  @Override
  public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonDeserializer<Object> standard = ctxt.findRootValueDeserializer(ctxt.constructType(type));
    return type.cast(standard.deserialize(p, ctxt));
  }

  /** {@code grpc:} with nothing after it: on, with the defaults. */
  @Override
  public T getNullValue(DeserializationContext ctxt) {
    return defaults.get();
  }

  /** No {@code grpc} key at all: off. */
  @Override
  public Object getAbsentValue(DeserializationContext ctxt) {
    return null;
  }

  static final class GrpcWhenPresent extends KeyPresence<OtlpReceiverConfig.Grpc> {
    GrpcWhenPresent() {
      super(OtlpReceiverConfig.Grpc.class, OtlpReceiverConfig.Grpc::defaults);
    }
  }

  static final class HttpWhenPresent extends KeyPresence<OtlpReceiverConfig.Http> {
    HttpWhenPresent() {
      super(OtlpReceiverConfig.Http.class, OtlpReceiverConfig.Http::defaults);
    }
  }
}
