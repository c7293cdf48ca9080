package dev.inflight.service.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.telemetry.ExporterMetrics;
import dev.inflight.component.telemetry.ProcessorMetrics;
import dev.inflight.component.telemetry.ReceiverMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The naming rule of self-metrics, over every module's main sources: {@code otelcol_*} only for a
 * metric the Collector has under that name, {@code inflight_*} for ours; and docs/telemetry.md
 * lists every one. Names are found as string literals, so a metric built anywhere is checked, not
 * only those of the telemetry classes.
 */
class SelfMetricNamesTest {
  /**
   * The Collector's own names for what inflight measures the same way: receiverhelper,
   * exporterhelper (and its queue), processorhelper, the batch processor's and memory limiter's
   * metadata.yaml, the contrib prometheusremotewrite exporter's, and the service's process metrics.
   */
  private static final Set<String> COLLECTOR_NAMES =
      Set.of(
          "otelcol_receiver_accepted_spans",
          "otelcol_receiver_accepted_metric_points",
          "otelcol_receiver_accepted_log_records",
          "otelcol_receiver_refused_spans",
          "otelcol_receiver_refused_metric_points",
          "otelcol_receiver_refused_log_records",
          "otelcol_exporter_sent_spans",
          "otelcol_exporter_sent_metric_points",
          "otelcol_exporter_sent_log_records",
          "otelcol_exporter_send_failed_spans",
          "otelcol_exporter_send_failed_metric_points",
          "otelcol_exporter_send_failed_log_records",
          "otelcol_exporter_enqueue_failed_spans",
          "otelcol_exporter_enqueue_failed_metric_points",
          "otelcol_exporter_enqueue_failed_log_records",
          "otelcol_exporter_queue_size",
          "otelcol_exporter_queue_capacity",
          "otelcol_processor_incoming_items",
          "otelcol_processor_outgoing_items",
          "otelcol_processor_refused_spans",
          "otelcol_processor_refused_metric_points",
          "otelcol_processor_refused_log_records",
          "otelcol_processor_batch_batch_send_size",
          "otelcol_processor_batch_batch_size_trigger_send",
          "otelcol_processor_batch_timeout_trigger_send",
          "otelcol_exporter_prometheusremotewrite_failed_translations",
          "otelcol_exporter_prometheusremotewrite_translated_time_series",
          "otelcol_exporter_prometheusremotewrite_sent_batches",
          "otelcol_process_uptime",
          "otelcol_process_memory_rss",
          "otelcol_process_cpu_seconds",
          "otelcol_process_runtime_heap_alloc_bytes",
          "otelcol_process_runtime_total_sys_memory_bytes");

  /** A whole literal; a prefix such as {@code "inflight_workers_"} is not a metric name. */
  private static final Pattern NAME = Pattern.compile("\"((?:otelcol|inflight)_[a-z0-9_]*[a-z0-9])\"");

  private static Path root;
  private static Set<String> names;

  @BeforeAll
  static void scan() throws IOException {
    root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("api/pom.xml"))) {
      root = root.getParent();
    }
    names = new TreeSet<>();
    try (Stream<Path> modules = Files.list(root)) {
      modules
          .map(m -> m.resolve("src/main/java"))
          .filter(Files::isDirectory)
          .forEach(SelfMetricNamesTest::collect);
    }
  }

  private static void collect(Path sources) {
    try (Stream<Path> files = Files.walk(sources)) {
      files
          .filter(f -> f.toString().endsWith(".java"))
          .forEach(
              f -> {
                try {
                  Matcher m = NAME.matcher(Files.readString(f));
                  while (m.find()) {
                    // A scraped sample (..._total) names the instrument it came from.
                    names.add(m.group(1).replaceFirst("_total$", ""));
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theScanSeesEveryModule() {
    assertThat(names)
        .contains(
            ReceiverMetrics.ACCEPTED_SPANS,
            ExporterMetrics.QUEUE_SIZE.name(),
            ProcessorMetrics.INCOMING_ITEMS.name(),
            ProcessTelemetry.THREADS.name(),
            "inflight_connector_concurrency_unmatched_spans",
            "inflight_processor_batch_dropped_items",
            "inflight_exporter_file_dropped_records",
            "inflight_query_store_bytes");
  }

  @Test
  void otelcolNamesAreTheCollectorsOwn() {
    assertThat(names.stream().filter(n -> n.startsWith("otelcol_")))
        .as("otelcol_* is for metrics the Collector has under that name; name ours inflight_*")
        .allMatch(COLLECTOR_NAMES::contains);
  }

  @Test
  void docsListEverySelfMetric() throws IOException {
    String docs = Files.readString(root.resolve("docs/telemetry.md"));
    assertThat(names).allMatch(n -> docs.contains("`" + n), "listed in docs/telemetry.md");
  }
}
