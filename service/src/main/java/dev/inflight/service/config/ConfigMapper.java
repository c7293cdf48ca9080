package dev.inflight.service.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.inflight.component.config.ByteSize;
import dev.inflight.component.config.DurationFormat;
import java.io.IOException;
import java.time.Duration;

/**
 * The Jackson setup that binds Collector YAML to config records: snake_case keys, Go-style
 * durations ({@code 5s}), sizes ({@code 4MiB}), unknown keys refused. Also used to print configs
 * back ({@code inflight components}), so what is printed loads again.
 */
public final class ConfigMapper {
  private ConfigMapper() {}

  public static ObjectMapper create() {
    return configure(JsonMapper.builder()).build();
  }

  /** Applies the config conventions to any mapper builder (JSON or YAML). */
  public static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> B configure(B builder) {
    SimpleModule module = new SimpleModule("inflight-config");
    module.addDeserializer(Duration.class, new DurationDeserializer());
    module.addSerializer(Duration.class, new DurationSerializer());
    module.addDeserializer(ByteSize.class, new ByteSizeDeserializer());
    module.addSerializer(ByteSize.class, new ByteSizeSerializer());
    return builder
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .addModule(module)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .serializationInclusion(JsonInclude.Include.NON_NULL);
  }

  static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
        String text = p.getText();
        return (Duration)
            ctxt.handleWeirdNumberValue(
                Duration.class, p.getNumberValue(),
                "a duration needs a unit, e.g. " + text + "s or " + text + "ms");
      }
      String text = p.getValueAsString();
      if (text == null) {
        return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
      }
      try {
        return DurationFormat.parse(text);
      } catch (IllegalArgumentException e) {
        return (Duration) ctxt.handleWeirdStringValue(Duration.class, text, e.getMessage());
      }
    }
  }

  static final class DurationSerializer extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(DurationFormat.format(value));
    }
  }

  static final class ByteSizeDeserializer extends JsonDeserializer<ByteSize> {
    @Override
    public ByteSize deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        long v = p.getLongValue();
        if (v < 0) {
          return (ByteSize) ctxt.handleWeirdNumberValue(ByteSize.class, v, "a size cannot be negative");
        }
        return ByteSize.ofBytes(v);
      }
      String text = p.getValueAsString();
      if (text == null) {
        return (ByteSize) ctxt.handleUnexpectedToken(ByteSize.class, p);
      }
      try {
        return ByteSize.parse(text);
      } catch (IllegalArgumentException e) {
        return (ByteSize) ctxt.handleWeirdStringValue(ByteSize.class, text, e.getMessage());
      }
    }
  }

  static final class ByteSizeSerializer extends JsonSerializer<ByteSize> {
    @Override
    public void serialize(ByteSize value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(value.toString());
    }
  }
}
