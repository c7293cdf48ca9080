package dev.inflight.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComponentIdTest {
  @ParameterizedTest
  @CsvSource({
    "otlp, otlp, ''",
    "otlphttp/dash0, otlphttp, dash0",
    "health_check, health_check, ''",
    "batch/2, batch, 2",
    "otlp/my-name.v2, otlp, my-name.v2",
    "' otlp/x ', otlp, x",
    "filelog/a/b, filelog, a/b",
    "resource/ünïcode, resource, ünïcode",
  })
  void parsesValidIds(String text, String type, String name) {
    ComponentId id = ComponentId.parse(text);
    assertThat(id.type()).isEqualTo(type);
    assertThat(id.name()).isEqualTo(name);
    assertThat(id).hasToString(name.isEmpty() ? type : type + "/" + name);
    assertThat(ComponentId.parse(id.toString())).isEqualTo(id);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''            | id \"\" has an empty type",
        "/name         | id \"/name\" has an empty type",
        "otlp/         | id \"otlp/\" has an empty name after /",
        "1otlp         | invalid type \"1otlp\" in id \"1otlp\": a type starts with a letter and holds only letters, digits and _",
        "otlp-http     | invalid type \"otlp-http\" in id \"otlp-http\": a type starts with a letter and holds only letters, digits and _",
        "_otlp         | invalid type \"_otlp\" in id \"_otlp\": a type starts with a letter and holds only letters, digits and _",
        "otlp/a b      | invalid name \"a b\" in id \"otlp/a b\": a name may not hold spaces, control characters or symbols",
        "otlp/a$       | invalid name \"a$\" in id \"otlp/a$\": a name may not hold spaces, control characters or symbols",
      })
  void refusesInvalidIds(String text, String message) {
    assertThatThrownBy(() -> ComponentId.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void aTypeIsAtMost63Characters() {
    String ok = "a" + "b".repeat(62);
    assertThat(ComponentId.parse(ok).type()).hasSize(63);
    assertThatThrownBy(() -> ComponentId.parse(ok + "c")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ofAndOrder() {
    assertThat(ComponentId.of("otlp")).isEqualTo(ComponentId.parse("otlp"));
    assertThat(ComponentId.parse("otlp")).isLessThan(ComponentId.parse("otlp/a"));
    assertThat(ComponentId.parse("batch/z")).isLessThan(ComponentId.parse("otlp"));
  }
}
