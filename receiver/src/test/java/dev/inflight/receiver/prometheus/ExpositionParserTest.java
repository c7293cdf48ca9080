package dev.inflight.receiver.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.receiver.prometheus.ExpositionParser.Family;
import dev.inflight.receiver.prometheus.ExpositionParser.Sample;
import dev.inflight.receiver.prometheus.ExpositionParser.Type;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parser on real exposition text: inflight's own telemetry endpoint in both formats (captured
 * from a running inflight), an excerpt of a Prometheus server's /metrics, and the examples of the
 * OpenMetrics 1.0 specification ({@code openmetrics.txt}); then malformed and random input.
 */
class ExpositionParserTest {
  static String resource(String name) throws IOException {
    try (InputStream in = ExpositionParserTest.class.getResourceAsStream("/testdata/prometheus/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Family family(List<Family> families, String name) {
    return families.stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no family " + name + " in " + families.stream().map(Family::name).toList()));
  }

  @Test
  void inflightTelemetryInTheTextFormat() throws Exception {
    List<Family> families = ExpositionParser.parse(resource("inflight-telemetry.txt"), false);
    Family late = family(families, "inflight_connector_concurrency_late_spans_total");
    assertThat(late.type()).isEqualTo(Type.COUNTER);
    assertThat(late.help()).isEqualTo("Spans that began in a window already closed (counted in workers.late_spans too)");
    assertThat(late.samples()).containsExactly(
        new Sample("inflight_connector_concurrency_late_spans_total", Map.of("connector", "concurrency"), 0.0, null));
    Family evicted = family(families, "inflight_query_store_evicted_traces_total");
    assertThat(evicted.samples()).extracting(s -> s.labels().get("reason")).containsExactly("max_age", "max_bytes");
    assertThat(family(families, "otelcol_process_memory_rss_bytes").samples().get(0).value()).isEqualTo(1.115136E8);
    assertThat(family(families, "otelcol_process_memory_rss_bytes").type()).isEqualTo(Type.GAUGE);
    assertThat(family(families, "otelcol_process_uptime_seconds_total").type()).isEqualTo(Type.COUNTER);
    assertThat(families).allSatisfy(f -> assertThat(f.samples()).isNotEmpty());
  }

  @Test
  void inflightTelemetryInOpenMetrics() throws Exception {
    List<Family> families = ExpositionParser.parse(resource("inflight-telemetry.openmetrics.txt"), true);
    Family late = family(families, "inflight_connector_concurrency_late_spans");
    assertThat(late.type()).isEqualTo(Type.COUNTER);
    assertThat(late.samples()).extracting(Sample::name).contains("inflight_connector_concurrency_late_spans_total");
    Family target = family(families, "target");
    assertThat(target.type()).isEqualTo(Type.INFO);
    assertThat(target.samples().get(0).labels()).containsEntry("service_name", "inflight");
  }

  @Test
  void aPrometheusServersOwnMetrics() throws Exception {
    List<Family> families = ExpositionParser.parse(resource("prometheus-server.txt"), false);
    Family gc = family(families, "go_gc_duration_seconds");
    assertThat(gc.type()).isEqualTo(Type.SUMMARY);
    assertThat(gc.samples()).hasSize(7);
    assertThat(gc.samples().get(6)).isEqualTo(new Sample("go_gc_duration_seconds_count", Map.of(), 52, null));
    Family http = family(families, "prometheus_http_request_duration_seconds");
    assertThat(http.type()).isEqualTo(Type.HISTOGRAM);
    assertThat(http.samples()).hasSize(24);
    assertThat(http.samples().get(9).labels()).containsExactly(Map.entry("handler", "/metrics"), Map.entry("le", "+Inf"));
    assertThat(family(families, "prometheus_tsdb_head_max_time").samples().get(0).value()).isEqualTo(-9.223372036854776e+18);
    Sample weird = family(families, "weird_help").samples().get(0);
    assertThat(family(families, "weird_help").help()).isEqualTo("A help text with a backslash \\ and a new line \n in it.");
    assertThat(weird.labels()).containsExactly(Map.entry("path", "C:\\dir"), Map.entry("quote", "say \"hi\""),
        Map.entry("nl", "a\nb"));
    assertThat(weird.value()).isNaN();
    Family untyped = family(families, "some_untyped_sample");
    assertThat(untyped.type()).isEqualTo(Type.UNKNOWN);
    assertThat(untyped.samples().get(0).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(untyped.samples().get(0).timestampMs()).isEqualTo(1_700_000_000_000L);
  }

  @Test
  void theOpenMetricsSpecificationsExamples() throws Exception {
    List<Family> families = ExpositionParser.parse(resource("openmetrics.txt"), true);
    assertThat(families).extracting(Family::name).containsExactly("acme_http_router_request_seconds", "go_goroutines",
        "process_cpu_seconds", "foo", "target");
    Family acme = families.get(0);
    assertThat(acme.unit()).isEqualTo("seconds");
    assertThat(acme.samples()).hasSize(6);
    assertThat(acme.samples().get(2).name()).isEqualTo("acme_http_router_request_seconds_created");
    Family cpu = family(families, "process_cpu_seconds");
    assertThat(cpu.samples()).extracting(Sample::name).containsExactly("process_cpu_seconds_total",
        "process_cpu_seconds_created");
    Family foo = family(families, "foo");
    assertThat(foo.samples()).hasSize(9);
    assertThat(foo.samples().get(2).value()).isEqualTo(5); // the exemplar after it is skipped
  }

  @Test
  void openMetricsTimestampsAreSecondsAndTheTextFormatsMilliseconds() throws Exception {
    assertThat(ExpositionParser.parse("a 1 1520879607.789\n# EOF\n", true).get(0).samples().get(0).timestampMs())
        .isEqualTo(1_520_879_607_789L);
    assertThat(ExpositionParser.parse("a 1 1520879607789\n", false).get(0).samples().get(0).timestampMs())
        .isEqualTo(1_520_879_607_789L);
  }

  @Test
  void helpWithoutTypeIsUntypedAndSamplesFindTheirFamily() throws Exception {
    List<Family> families = ExpositionParser.parse("# HELP a An a.\na 1\nb 2\n# TYPE c counter\nc_total 3\n", false);
    assertThat(families).extracting(Family::name).containsExactly("a", "b", "c");
    assertThat(families.get(0).type()).isEqualTo(Type.UNKNOWN);
    assertThat(families.get(0).help()).isEqualTo("An a.");
    // a counter typed without _total takes its _total samples, as the contrib receiver's metadata lookup does
    assertThat(families.get(2).samples()).extracting(Sample::name).containsExactly("c_total");
  }

  @Test
  void quotedUtf8MetricNames() throws Exception {
    Family f = ExpositionParser.parse("{\"my.metric\",code=\"200\"} 3\n", false).get(0);
    assertThat(f.name()).isEqualTo("my.metric");
    assertThat(f.samples().get(0).labels()).containsExactly(Map.entry("code", "200"));
  }

  @Test
  void malformedInputNamesTheLine() {
    assertError("a 1\nb{x=\"1\" 2\n", false, "line 2: expected , or } at column 9");
    assertError("a{x=1} 2\n", false, "line 1: label x: value must be quoted");
    assertError("a one\n", false, "line 1: invalid value \"one\"");
    assertError("a 1d\n", false, "line 1: invalid value \"1d\"");
    assertError("a 1 2.5\n", false, "line 1: invalid timestamp \"2.5\" (milliseconds expected)");
    assertError("# TYPE a countr\n", false, "line 1: unknown metric type \"countr\" for a");
    assertError("a{x=\"1\",x=\"2\"} 1\n", false, "line 1: label x given twice");
    assertError("a 1\n", true, "OpenMetrics body does not end with # EOF");
    assertError("a 1\n# EOF\nb 2\n", true, "line 3: content after # EOF");
    assertError("a 1\n\n# EOF\n", true, "line 2: empty line (OpenMetrics allows none)");
    assertError("a{x=\"1\n", false, "line 1: unclosed quoted label value");
    assertError("a" + "b".repeat(ExpositionParser.MAX_LINE_CHARS) + " 1\n", false,
        "line 1: line longer than 65536 characters");
    assertError("# TYPE a gauge\na 1\n# TYPE a gauge\n", false, "line 3: second # TYPE for a");
  }

  private static void assertError(String body, boolean openMetrics, String message) {
    assertThatThrownBy(() -> ExpositionParser.parse(body, openMetrics))
        .isInstanceOf(ExpositionException.class).hasMessage(message);
  }

  /**
   * Random bodies, and real bodies with random damage: the parser returns or throws its own
   * exception, nothing else (it reads what a network peer sends).
   */
  @Test
  void randomInputOnlyEverThrowsTheParsersException() throws Exception {
    List<String> seeds = List.of(resource("prometheus-server.txt"), resource("openmetrics.txt"),
        resource("inflight-telemetry.txt"));
    String alphabet = "ab_:{}=\",# \n\t\\.+-eE0123456789InfNaTYPEHLOUcounterg\u00e9\u0000";
    Random random = new Random(22);
    int parsed = 0;
    for (int i = 0; i < 20_000; i++) {
      String body;
      if (i % 2 == 0) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(200);
        for (int j = 0; j < n; j++) {
          sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        body = sb.toString();
      } else {
        StringBuilder sb = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
        for (int k = random.nextInt(4); k >= 0; k--) {
          int at = random.nextInt(sb.length());
          switch (random.nextInt(3)) {
            case 0 -> sb.deleteCharAt(at);
            case 1 -> sb.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
            default -> sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
          }
        }
        body = sb.toString();
      }
      for (boolean om : new boolean[] {false, true}) {
        try {
          ExpositionParser.parse(body, om);
          parsed++;
        } catch (ExpositionException expected) {
          assertThat(expected.getMessage()).isNotBlank();
        }
      }
    }
    assertThat(parsed).as("some damaged bodies still parse").isGreaterThan(100);
  }
}
