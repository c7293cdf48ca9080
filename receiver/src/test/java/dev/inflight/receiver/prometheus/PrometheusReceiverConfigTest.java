package dev.inflight.receiver.prometheus;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The receiver's config as a user writes it, through the real loader. */
class PrometheusReceiverConfigTest {
  private static String yaml(String receiverYaml) {
    return "receivers:\n" + receiverYaml
        + "exporters:\n  nop:\n"
        + "service:\n  pipelines:\n    metrics:\n      receivers: [prometheus]\n      exporters: [nop]\n";
  }

  private static List<ScrapeJob> load(String receiverYaml, Map<String, String> env) throws InvalidConfigException {
    PrometheusReceiverConfig c = (PrometheusReceiverConfig) ConfigFixture.load(yaml(receiverYaml), env,
            new PrometheusReceiverFactory(), nopExporter())
        .config().of(ComponentKind.RECEIVER).get(ComponentId.of("prometheus"));
    return c.jobs();
  }

  private static List<String> problems(String receiverYaml) {
    return ConfigFixture.problems(yaml(receiverYaml), Map.of(), new PrometheusReceiverFactory(), nopExporter());
  }

  private static String job(String jobYaml) {
    return "  prometheus:\n    config:\n      scrape_configs:\n        - job_name: app\n"
        + "          static_configs: [{targets: ['localhost:9100']}]\n" + jobYaml;
  }

  @Test
  void theSelfScrapeConfigWithPrometheusDefaults() throws Exception {
    List<ScrapeJob> jobs = load("  prometheus:\n    config:\n      scrape_configs:\n"
        + "        - job_name: otel-collector\n          scrape_interval: 10s\n"
        + "          static_configs:\n            - targets: ['localhost:8888']\n", Map.of());
    assertThat(jobs).hasSize(1);
    ScrapeJob j = jobs.get(0);
    assertThat(j.jobName()).isEqualTo("otel-collector");
    assertThat(j.scrapeInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(j.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(j.metricsPath()).isEqualTo("/metrics");
    assertThat(j.scheme()).isEqualTo("http");
    assertThat(j.honorLabels()).isFalse();
    assertThat(j.honorTimestamps()).isTrue();
    assertThat(j.targets()).containsExactly(new ScrapeJob.Target("localhost:8888", Map.of()));
    assertThat(j.basicAuth()).isNull();
    assertThat(j.tls()).isNull();
  }

  @Test
  void theTimeoutDefaultsToTheGlobalOneButNeverExceedsTheInterval() throws Exception {
    assertThat(load(job("          scrape_interval: 5s\n"), Map.of()).get(0).scrapeTimeout())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(load(job(""), Map.of()).get(0).scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
    List<ScrapeJob> jobs = load("  prometheus:\n    config:\n      global: {scrape_interval: 30s, scrape_timeout: 3s}\n"
        + "      scrape_configs:\n        - job_name: a\n          static_configs: [{targets: [a:1]}]\n", Map.of());
    assertThat(jobs.get(0).scrapeInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(jobs.get(0).scrapeTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void doubleDollarIsALiteralDollarAsInTheCollector() throws Exception {
    List<ScrapeJob> jobs = load(job("          authorization: {credentials: 'a$$b${env:TOKEN}'}\n"),
        Map.of("TOKEN", "xyz"));
    assertThat(jobs.get(0).authorization()).isEqualTo(new ScrapeJob.Authorization("Bearer", "a$bxyz", ""));
  }

  @Test
  void serviceDiscoveryIsAClearErrorNamingTheKey() {
    assertThat(problems("  prometheus:\n    config:\n      scrape_configs:\n        - job_name: k8s\n"
        + "          kubernetes_sd_configs: [{role: pod}]\n"))
        .anyMatch(p -> p.contains("receivers.prometheus.config.scrape_configs[0].kubernetes_sd_configs:"
            + " kubernetes_sd_configs is not supported: inflight's prometheus receiver supports static_configs only"))
        .anyMatch(p -> p.contains("receivers.prometheus.config.scrape_configs[0].static_configs: static_configs is"
            + " required"));
    assertThat(problems(job("          file_sd_configs: [{files: [a.json]}]\n")))
        .anyMatch(p -> p.contains("file_sd_configs is not supported: inflight's prometheus receiver supports"
            + " static_configs only"));
    assertThat(problems(job("          relabel_configs: [{action: drop}]\n")))
        .anyMatch(p -> p.contains("scrape_configs[0].relabel_configs: relabel_configs is a Prometheus setting"
            + " inflight's prometheus receiver does not support (yet); remove it"));
  }

  @Test
  void problemsNameTheKey() {
    assertThat(problems("  prometheus:\n")).anyMatch(p -> p.contains("receivers.prometheus.config: config is required"));
    assertThat(problems("  prometheus:\n    config:\n      scrape_configs: []\n"))
        .anyMatch(p -> p.contains("config.scrape_configs: scrape_configs must list at least one scrape job"));
    assertThat(problems(job("          scrape_interval: 5s\n          scrape_timeout: 10s\n")))
        .anyMatch(p -> p.contains("scrape_configs[0].scrape_timeout: scrape_timeout 10s must not be greater than"
            + " scrape_interval 5s"));
    assertThat(problems(job("          scheme: ftp\n")))
        .anyMatch(p -> p.contains("scrape_configs[0].scheme: scheme must be http or https, got \"ftp\""));
    assertThat(problems(job("          scrape_intervall: 5s\n")))
        .anyMatch(p -> p.contains("scrape_configs[0].scrape_intervall: unknown key `scrape_intervall`")
            && p.contains("scrape_interval"));
    assertThat(problems("  prometheus:\n    config:\n      scrape_configs:\n        - static_configs: [{targets: [a:1]}]\n"))
        .anyMatch(p -> p.contains("scrape_configs[0].job_name: job_name is required"));
    assertThat(problems("  prometheus:\n    config:\n      scrape_configs:\n        - job_name: a\n"
        + "          static_configs: [{targets: ['http://a:1/metrics']}]\n"))
        .anyMatch(p -> p.contains("static_configs[0].targets: targets entry \"http://a:1/metrics\" must be host:port"));
    assertThat(problems("  prometheus:\n    config:\n      scrape_configs:\n"
        + "        - {job_name: a, static_configs: [{targets: [a:1]}]}\n"
        + "        - {job_name: a, static_configs: [{targets: [b:1]}]}\n"))
        .anyMatch(p -> p.contains("scrape_configs[1].job_name: job_name \"a\" is used by two scrape configs"));
    assertThat(problems(job("          basic_auth: {username: u, password: p, password_file: f}\n")))
        .anyMatch(p -> p.contains("basic_auth.password: at most one of basic_auth password and password_file"));
    assertThat(problems(job("          static_configs: [{targets: [a:1], labels: {'bad-name': x}}]\n")))
        .isNotEmpty();
    assertThat(problems("  prometheus:\n    config:\n      rule_files: [a.yml]\n      scrape_configs:\n"
        + "        - {job_name: a, static_configs: [{targets: [a:1]}]}\n"))
        .anyMatch(p -> p.contains("config.rule_files: rule_files is a Prometheus setting"));
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    PrometheusReceiverConfig config = ConfigFixture.documentedExample(
        "prometheus/config.yaml", "prometheus-receiver.md", ComponentKind.RECEIVER, "prometheus",
        Map.of(), new PrometheusReceiverFactory(), nopExporter());
    List<ScrapeJob> jobs = config.jobs();
    assertThat(jobs).extracting(ScrapeJob::jobName).containsExactly("otel-collector", "app");
    ScrapeJob self = jobs.get(0);
    assertThat(self.scrapeInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(self.targets()).containsExactly(new ScrapeJob.Target("localhost:8888", Map.of("env", "prod")));
    assertThat(self.externalLabels()).containsExactly(Map.entry("cluster", "eu-1"));
    ScrapeJob app = jobs.get(1);
    assertThat(app.scrapeInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(app.scheme()).isEqualTo("https");
    assertThat(app.metricsPath()).isEqualTo("/actuator/prometheus");
    assertThat(app.params()).containsExactly(Map.entry("format", List.of("prometheus")));
    assertThat(app.honorLabels()).isTrue();
    assertThat(app.basicAuth()).isEqualTo(new ScrapeJob.BasicAuth("scraper", "", "/etc/inflight/scrape-password"));
    assertThat(app.tls().caFile()).isEqualTo("/etc/inflight/ca.pem");
    assertThat(app.targets()).extracting(ScrapeJob.Target::address).containsExactly("app-1:8443", "app-2:8443");
  }
}
