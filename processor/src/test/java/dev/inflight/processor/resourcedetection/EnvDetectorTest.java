package dev.inflight.processor.resourcedetection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** OTEL_RESOURCE_ATTRIBUTES as the SDK specification reads it. */
class EnvDetectorTest {
  @Test
  void pairsAreTrimmedAndValuesPercentDecoded() {
    assertThat(EnvDetector.parse(" service.name = shop , note=a%2Cb%3Dc%20%C3%A9 ,plus=a+b,, empty="))
        .containsExactly(
            Map.entry("service.name", "shop"),
            Map.entry("note", "a,b=c é"),
            Map.entry("plus", "a+b"),
            Map.entry("empty", ""));
  }

  @Test
  void unsetOrBlankGivesNothing() {
    assertThat(EnvDetector.parse(null)).isEmpty();
    assertThat(EnvDetector.parse("  ")).isEmpty();
  }

  @Test
  void malformedValuesAreRefusedAsAWhole() {
    assertThatThrownBy(() -> EnvDetector.parse("a=1,b")).hasMessage("\"b\" is not key=value");
    assertThatThrownBy(() -> EnvDetector.parse("=1")).hasMessage("\"=1\" has an empty key");
    assertThatThrownBy(() -> EnvDetector.parse("a=%zz")).hasMessage("\"%zz\" has a bad percent escape at 0");
  }

  @Test
  void goNamesForOsAndArch() {
    assertThat(SystemDetector.goOs("Linux")).isEqualTo("linux");
    assertThat(SystemDetector.goOs("Mac OS X")).isEqualTo("darwin");
    assertThat(SystemDetector.goOs("Windows Server 2022")).isEqualTo("windows");
    assertThat(SystemDetector.goArch("x86_64")).isEqualTo("amd64");
    assertThat(SystemDetector.goArch("aarch64")).isEqualTo("arm64");
  }
}
