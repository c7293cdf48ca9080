package dev.inflight.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpanderTest {
  private final EnvExpander expander = new EnvExpander(Map.of("A", "alpha", "EMPTY", "")::get);

  @Test
  void forms() {
    assertThat(expander.expand("${env:A}").value()).isEqualTo("alpha");
    assertThat(expander.expand("${A}").value()).isEqualTo("alpha");
    assertThat(expander.expand("x-${env:A}-${A}-y").value()).isEqualTo("x-alpha-alpha-y");
    assertThat(expander.expand("${env:B:-fallback}").value()).isEqualTo("fallback");
    assertThat(expander.expand("${B:-}").value()).isEmpty();
    assertThat(expander.expand("${env:A:-fallback}").value()).isEqualTo("alpha");
    // The default applies only when unset, as in the Collector; an empty value stays empty.
    assertThat(expander.expand("${env:EMPTY:-fallback}").value()).isEmpty();
  }

  @Test
  void dollarEscapes() {
    assertThat(expander.expand("$$").value()).isEqualTo("$");
    assertThat(expander.expand("$${env:A}").value()).isEqualTo("${env:A}");
    assertThat(expander.expand("$$$${A}").value()).isEqualTo("$${A}");
    assertThat(expander.expand("price $5 and $A").value()).isEqualTo("price $5 and $A");
    assertThat(expander.expand("trailing $").value()).isEqualTo("trailing $");
  }

  @Test
  void unsetIsReported() {
    EnvExpander.Result r = expander.expand("Bearer ${env:TOKEN} ${OTHER}");
    assertThat(r.value()).isEqualTo("Bearer  ");
    assertThat(r.unset()).isEqualTo(List.of("TOKEN", "OTHER"));
    assertThat(r.errors()).isEmpty();
  }

  @Test
  void errors() {
    assertThat(expander.expand("${env:A").errors()).containsExactly("unclosed \"${\" in \"${env:A\" (write $$ for a literal $)");
    assertThat(expander.expand("${1BAD}").errors()).containsExactly("invalid environment variable name \"1BAD\" in \"${1BAD}\"");
    assertThat(expander.expand("${http:x}").errors()).hasSize(1).first().asString().startsWith("unsupported scheme \"http\"");
  }
}
