package dev.inflight.receiver.prometheus;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.receiver.prometheus.ExpositionParser.Family;
import dev.inflight.receiver.prometheus.ExpositionParser.Type;
import dev.inflight.service.config.ConfigFixture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code metric_relabel_configs} as a user writes them, loaded through the real config loader and
 * applied to parsed scrapes; expectations follow Prometheus's {@code model/relabel} semantics
 * (anchored RE2, Go's {@code $} expansion, empty value removes the label).
 */
class RelabelTest {
  private static String yaml(String rules) {
    return "receivers:\n  prometheus:\n    config:\n      scrape_configs:\n        - job_name: app\n"
        + "          static_configs: [{targets: ['localhost:9100'], labels: {env: prod}}]\n"
        + "          metric_relabel_configs:\n" + rules
        + "exporters:\n  nop:\n"
        + "service:\n  pipelines:\n    metrics:\n      receivers: [prometheus]\n      exporters: [nop]\n";
  }

  private static ScrapeJob job(String rules) throws Exception {
    PrometheusReceiverConfig c = (PrometheusReceiverConfig) ConfigFixture.load(yaml(rules), Map.of(),
            new PrometheusReceiverFactory(), nopExporter())
        .config().of(ComponentKind.RECEIVER).get(ComponentId.of("prometheus"));
    return c.jobs().get(0);
  }

  private static List<String> problems(String rules) {
    return ConfigFixture.problems(yaml(rules), Map.of(), new PrometheusReceiverFactory(), nopExporter());
  }

  private static List<Family> scrape(String rules, String exposition) throws Exception {
    ScrapeJob job = job(rules);
    return Relabel.families(job.metricRelabel(), ExpositionParser.parse(exposition, false), job, job.targets().get(0));
  }

  /** name{labels} of every sample left, in order. */
  private static List<String> series(List<Family> families) {
    return families.stream().flatMap(f -> f.samples().stream()).map(s -> s.name() + s.labels()).toList();
  }

  private static final String EXPOSITION = """
      # TYPE grpc_io_server_calls counter
      grpc_io_server_calls_total{method="Export"} 3
      # TYPE http_requests counter
      http_requests_total{code="200",path="/a"} 10
      http_requests_total{code="500",path="/b"} 1
      # TYPE queue_size gauge
      queue_size 4
      """;

  @Test
  void dropByNameAsTheSplunkGatewayConfigDoes() throws Exception {
    List<Family> f = scrape("""
                  - source_labels: [ __name__ ]
                    regex: '.*grpc_io.*'
                    action: drop
        """, EXPOSITION);
    assertThat(series(f)).containsExactly(
        "http_requests_total{code=200, path=/a}", "http_requests_total{code=500, path=/b}", "queue_size{}");
    assertThat(f.get(0).type()).isEqualTo(Type.COUNTER);
  }

  @Test
  void keepIsAnchoredAndSeesTheTargetLabels() throws Exception {
    // "http_requests" alone would not match http_requests_total: the regex is anchored.
    assertThat(series(scrape("""
                  - source_labels: [__name__]
                    regex: http_requests
                    action: keep
        """, EXPOSITION))).isEmpty();
    assertThat(series(scrape("""
                  - source_labels: [env, code]
                    regex: prod;5..
                    action: keep
        """, EXPOSITION))).containsExactly("http_requests_total{code=500, path=/b}");
  }

  @Test
  void replaceExpandsAsGoDoes() throws Exception {
    // $$ is a literal $ in a Collector config, as there: ${1} alone would be an environment variable.
    assertThat(series(scrape("""
                  - source_labels: [code, path]
                    regex: '(\\d)\\d\\d;/(.*)'
                    target_label: class
                    replacement: '$${1}xx-$$2'
                  - source_labels: [code]
                    regex: '(.*)'
                    target_label: broken
                    replacement: '$$1x'
        """, EXPOSITION))).containsExactly(
            "grpc_io_server_calls_total{method=Export}",
            // $1x is the group named "1x": empty, so no label, as in Prometheus.
            "http_requests_total{code=200, path=/a, class=2xx-a}",
            "http_requests_total{code=500, path=/b, class=5xx-b}",
            "queue_size{}");
  }

  @Test
  void anEmptyReplacementRemovesTheLabelAndLabeldropLabelkeepLabelmapWorkOnNames() throws Exception {
    assertThat(series(scrape("""
                  - source_labels: [path]
                    regex: /b
                    target_label: path
                    replacement: ''
                  - action: labelmap
                    regex: 'co(.*)'
                    replacement: 'status_co$$1'
                  - action: labeldrop
                    regex: method
        """, EXPOSITION))).containsExactly(
            "grpc_io_server_calls_total{}",
            "http_requests_total{code=200, path=/a, status_code=200}",
            "http_requests_total{code=500, status_code=500}",
            "queue_size{}");
    assertThat(series(scrape("""
                  - action: labelkeep
                    regex: '__name__|path|job|instance|env'
        """, EXPOSITION))).containsExactly(
            "grpc_io_server_calls_total{}", "http_requests_total{path=/a}", "http_requests_total{path=/b}", "queue_size{}");
  }

  @Test
  void hashmodLowercaseAndKeepequal() throws Exception {
    // md5("/a") and md5("/b"), last 8 bytes big-endian, mod 7: computed with Python's hashlib.
    assertThat(series(scrape("""
                  - source_labels: [path]
                    target_label: shard
                    modulus: 7
                    action: hashmod
                  - source_labels: [path]
                    target_label: upper
                    action: uppercase
                  - source_labels: [code]
                    target_label: code
                    action: keepequal
        """, EXPOSITION))).containsExactly(
            "grpc_io_server_calls_total{method=Export, shard=" + mod7("") + "}",
            "http_requests_total{code=200, path=/a, shard=" + mod7("/a") + ", upper=/A}",
            "http_requests_total{code=500, path=/b, shard=" + mod7("/b") + ", upper=/B}",
            "queue_size{shard=" + mod7("") + "}");
  }

  /** The hashmod values, precomputed outside Java (python3: int.from_bytes(md5(v).digest()[8:], 'big') % 7). */
  private static String mod7(String v) {
    return switch (v) {
      case "" -> "1";
      case "/a" -> "1";
      case "/b" -> "3";
      default -> throw new IllegalArgumentException(v);
    };
  }

  @Test
  void aRenamedSampleBecomesAnUntypedFamilyAndTargetLabelsAreNotCopiedIntoSamples() throws Exception {
    List<Family> f = scrape("""
                  - source_labels: [__name__]
                    regex: 'queue_(.*)'
                    target_label: __name__
                    replacement: 'work_queue_$$1'
        """, EXPOSITION);
    Family renamed = f.get(f.size() - 1);
    assertThat(renamed.name()).isEqualTo("work_queue_size");
    assertThat(renamed.type()).isEqualTo(Type.UNKNOWN);
    assertThat(renamed.samples().get(0).labels()).isEqualTo(new LinkedHashMap<>());
    assertThat(f.stream().map(Family::name)).containsExactly("grpc_io_server_calls", "http_requests", "work_queue_size");
  }

  @Test
  void mistakesAreNamedWithTheirKey() {
    assertThat(problems("""
                  - source_labels: [a]
                    action: Replace
                  - action: explode
                  - source_labels: [a]
                    regex: '(unclosed'
                    action: keep
                  - source_labels: [a]
                    target_label: b
                    action: hashmod
                  - source_labels: [a]
                    action: labeldrop
                    regex: x
                  - source_labels: [a]
                    regexp: x
        """)).containsExactly(
            "config.yaml:8: receivers.prometheus.config.scrape_configs[0].metric_relabel_configs[0].target_label:"
                + " relabel action replace requires target_label",
            "config.yaml:10: receivers.prometheus.config.scrape_configs[0].metric_relabel_configs[1].action:"
                + " unknown relabel action \"explode\"; valid: replace, keep, drop, keepequal, dropequal, hashmod,"
                + " labelmap, labeldrop, labelkeep, lowercase, uppercase",
            "config.yaml:12: receivers.prometheus.config.scrape_configs[0].metric_relabel_configs[2].regex:"
                + " regex \"(unclosed\" is not a valid RE2 expression: missing closing )",
            "config.yaml:14: receivers.prometheus.config.scrape_configs[0].metric_relabel_configs[3].modulus:"
                + " relabel action hashmod requires modulus",
            "config.yaml:18: receivers.prometheus.config.scrape_configs[0].metric_relabel_configs[4].action:"
                + " relabel action labeldrop takes only regex (a label name pattern), not source_labels or target_label",
            "config.yaml:20: receivers.prometheus.config.scrape_configs[0].metric_relabel_configs[5].target_label:"
                + " relabel action replace requires target_label",
            "config.yaml:21: receivers.prometheus.config.scrape_configs[0].metric_relabel_configs[5].regexp:"
                + " unknown key `regexp`; did you mean `regex`?");
  }
}
