package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inflight.tests.PrometheusServer.Sample;
import dev.inflight.tests.PrometheusServer.ScrapeTarget;
import dev.inflight.tests.PrometheusServer.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@link PrometheusServer} harness against the real Prometheus: it scrapes itself, answers instant and
 * range queries, reports bad PromQL clearly, and two instances run side by side on their own ports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusServerIT {
  // The first scrape comes about 5s after /-/ready (the scrape manager's reload tick), so leave room.
  private static final Duration SCRAPED = Duration.ofSeconds(30);

  private PrometheusServer prom;

  @BeforeAll
  void start() throws Exception {
    prom = PrometheusServer.start(List.of());
  }

  @AfterAll
  void stop() {
    if (prom != null) {
      prom.close();
    }
  }

  @Test
  void scrapesItselfAndAnswersInstantAndRangeQueries() {
    List<Sample> up = prom.awaitVector("up{job=\"prometheus\"} == 1", r -> !r.isEmpty(), SCRAPED);
    assertThat(up).singleElement().satisfies(s -> {
      assertThat(s.value()).isEqualTo(1.0);
      assertThat(s.labels()).isEqualTo(Map.of("__name__", "up", "job", "prometheus", "instance", prom.hostPort()));
    });
    assertThat(prom.targetUp("prometheus")).isTrue();
    assertThat(prom.targetUp("no such job")).isFalse();
    assertThat(prom.log()).content().contains("Server is ready to receive web requests.");

    // A few more scrapes, so the range below holds several points.
    prom.awaitVector("count_over_time(up{job=\"prometheus\"}[1m]) >= 3", r -> !r.isEmpty(), SCRAPED);
    Instant end = Instant.now();
    Instant start = end.minusSeconds(60);
    JsonNode raw = prom.queryRange("up{job=\"prometheus\"}", start, end, Duration.ofSeconds(1));
    assertThat(raw.get("resultType").asText()).isEqualTo("matrix");
    List<Series> matrix = prom.matrix("up{job=\"prometheus\"}", start, end, Duration.ofMillis(500));
    assertThat(matrix).singleElement().satisfies(series -> {
      assertThat(series.labels()).containsEntry("job", "prometheus");
      assertThat(series.samples()).hasSizeGreaterThanOrEqualTo(3).allSatisfy(s -> {
        assertThat(s.value()).isEqualTo(1.0);
        assertThat(s.timestamp()).isBetween(start.truncatedTo(ChronoUnit.MILLIS), end);
      });
      // The step is honoured: consecutive points are exactly 500ms apart.
      List<Sample> points = series.samples();
      for (int i = 1; i < points.size(); i++) {
        assertThat(Duration.between(points.get(i - 1).timestamp(), points.get(i).timestamp()))
            .isEqualTo(Duration.ofMillis(500));
      }
    });
  }

  @Test
  void parsesValuesAndTimestampsAsPrometheusWritesThem() {
    // An instant query evaluates at the time asked for, to the millisecond.
    Instant at = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS).plusMillis(7);
    assertThat(prom.vector("vector(42.5)", at)).containsExactly(new Sample(Map.of(), 42.5, at));
    assertThat(prom.vector("label_replace(vector(-1e-3), \"a\", \"x y\", \"\", \"\")", at))
        .containsExactly(new Sample(Map.of("a", "x y"), -0.001, at));
    // Go's special values come as "+Inf", "-Inf" and "NaN"; a scalar is one sample without labels.
    assertThat(prom.single("vector(1) / 0", at)).hasValue(Double.POSITIVE_INFINITY);
    assertThat(prom.single("vector(-1) / 0", at)).hasValue(Double.NEGATIVE_INFINITY);
    assertThat(prom.single("scalar(vector(0) / 0)", at).getAsDouble()).isNaN();
    assertThat(prom.single("absent_metric_name_for_this_test", at)).isEmpty();
    assertThat(prom.vector("vector(1) + vector(1)")).singleElement()
        .satisfies(s -> assertThat(s.timestamp()).isBetween(Instant.now().minusSeconds(10), Instant.now()));
  }

  @Test
  void badPromqlAndUnexpectedShapesFailClearly() {
    assertThatThrownBy(() -> prom.query("sum(rate(up{job=\"prometheus\"}[1m])"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sum(rate(up{job=\"prometheus\"}[1m])")
        .hasMessageContaining("bad_data")
        .hasMessageContaining("parse error");
    assertThatThrownBy(() -> prom.queryRange("up", Instant.now(), Instant.now().minusSeconds(60), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("end timestamp must not be before start time");
    assertThatThrownBy(() -> prom.vector("up[1m]"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gave a matrix, not a vector");
    assertThatThrownBy(() -> prom.single("vector(1) or label_replace(vector(2), \"a\", \"b\", \"\", \"\")"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected at most one sample");
    assertThatThrownBy(() -> prom.awaitVector("vector(1)", r -> r.isEmpty(), Duration.ofMillis(600)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("did not reach the expected result within PT0.6S")
        .hasMessageContaining("last result: [Sample[labels={}, value=1.0")
        .hasMessageContaining("prometheus.log");
  }

  @Test
  void aPrometheusThatExitsAtStartupFailsWithItsLog() {
    // An empty job name is a config error: Prometheus exits at once, and start() says why.
    assertThatThrownBy(() -> PrometheusServer.start(List.of(ScrapeTarget.of("", "127.0.0.1:1"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("prometheus exited with 2 before it was ready") // 2: its exit code for a bad config
        .hasMessageContaining("job_name is empty");
  }

  @Test
  void twoServersRunSideBySideAndOneScrapesTheOther() throws Exception {
    // A job name with quotes and spaces checks the YAML quoting of the config and the PromQL escaping of targetUp.
    String job = "first \"prometheus\"";
    PrometheusServer second = PrometheusServer.start(List.of(new ScrapeTarget(job, prom.hostPort(), "/metrics")));
    try (second) {
      assertThat(second.baseUrl()).isNotEqualTo(prom.baseUrl());
      assertThat(second.log()).isNotEqualTo(prom.log());
      assertThat(second.remoteWriteUrl().toString()).isEqualTo(second.baseUrl() + "/api/v1/write");

      second.awaitVector("prometheus_build_info{job=\"first \\\"prometheus\\\"\"}", r -> r.size() == 1, SCRAPED);
      assertThat(second.targetUp(job)).isTrue();
      assertThat(second.awaitVector("up == 1", r -> r.size() == 2, SCRAPED)).extracting(s -> s.labels().get("instance"))
          .containsExactlyInAnyOrder(prom.hostPort(), second.hostPort());
      // The first server has only its own job.
      assertThat(prom.vector("count by (job) (up)")).extracting(s -> s.labels().get("job")).containsExactly("prometheus");
    }
    // Closed: the process is gone (nothing listens) and so is its temp dir.
    assertThat(Files.exists(second.log())).isFalse();
    assertThatThrownBy(() -> InflightProcess.get(second.baseUrl() + "/-/ready")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> second.query("up")).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
  }
}
