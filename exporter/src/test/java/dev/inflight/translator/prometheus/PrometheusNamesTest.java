package dev.inflight.translator.prometheus;

import static dev.inflight.translator.prometheus.PrometheusNames.Kind.GAUGE;
import static dev.inflight.translator.prometheus.PrometheusNames.Kind.HISTOGRAM;
import static dev.inflight.translator.prometheus.PrometheusNames.Kind.MONOTONIC_SUM;
import static dev.inflight.translator.prometheus.PrometheusNames.Kind.NON_MONOTONIC_SUM;
import static dev.inflight.translator.prometheus.PrometheusNames.Kind.SUMMARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.translator.prometheus.PrometheusNames.Kind;
import org.junit.jupiter.api.Test;

/**
 * Names as the OpenTelemetry → Prometheus compatibility specification and the Collector's
 * translator ({@code pkg/translator/prometheus/normalize_name_test.go}) build them.
 */
class PrometheusNamesTest {
  private static String name(String name, String unit, Kind kind) {
    return PrometheusNames.metricName(name, unit, kind, "", true);
  }

  @Test
  void theConcurrencyConnectorsMetrics() {
    assertThat(name("workers.active", "{worker}", GAUGE)).isEqualTo("workers_active");
    assertThat(name("workers.active.max", "{worker}", GAUGE)).isEqualTo("workers_active_max");
    assertThat(name("workers.busy_time", "s", MONOTONIC_SUM)).isEqualTo("workers_busy_time_seconds_total");
    assertThat(name("workers.spans", "{span}", MONOTONIC_SUM)).isEqualTo("workers_spans_total");
    assertThat(name("workers.duration", "s", HISTOGRAM)).isEqualTo("workers_duration_seconds");
    assertThat(name("workers.utilization", "1", GAUGE)).isEqualTo("workers_utilization_ratio");
    assertThat(name("workers.late_spans", "{span}", MONOTONIC_SUM)).isEqualTo("workers_late_spans_total");
    assertThat(name("workers.instances", "{instance}", GAUGE)).isEqualTo("workers_instances");
  }

  @Test
  void unitsBecomeTheirPrometheusWords() {
    assertThat(name("http.server.request.size", "By", HISTOGRAM)).isEqualTo("http_server_request_size_bytes");
    assertThat(name("system.filesystem.usage", "By", GAUGE)).isEqualTo("system_filesystem_usage_bytes");
    assertThat(name("system.io", "By", MONOTONIC_SUM)).isEqualTo("system_io_bytes_total");
    assertThat(name("mongodbatlas.process.network.io", "By/s", GAUGE))
        .isEqualTo("mongodbatlas_process_network_io_bytes_per_second");
    assertThat(name("mongodbatlas.process.oplog.rate", "GiBy/h", GAUGE))
        .isEqualTo("mongodbatlas_process_oplog_rate_gibibytes_per_hour");
    assertThat(name("mongodbatlas.process.journaling.data_files", "MiBy", GAUGE))
        .isEqualTo("mongodbatlas_process_journaling_data_files_mebibytes");
    assertThat(name("active_directory.ds.ldap.bind.last_successful.time", "ms", GAUGE))
        .isEqualTo("active_directory_ds_ldap_bind_last_successful_time_milliseconds");
    assertThat(name("redis.latest_fork", "us", GAUGE)).isEqualTo("redis_latest_fork_microseconds");
    assertThat(name("nsxt.node.memory.usage", "KBy", GAUGE)).isEqualTo("nsxt_node_memory_usage_kilobytes");
    assertThat(name("hw.cpu.speed_limit", "Hz", GAUGE)).isEqualTo("hw_cpu_speed_limit_hertz");
    assertThat(name("astro.light.speed_limit", "m/s", GAUGE)).isEqualTo("astro_light_speed_limit_meters_per_second");
    assertThat(name("broken.metric.speed", "km/h", GAUGE)).isEqualTo("broken_metric_speed_km_per_hour");
    assertThat(name("system.disk.operation_time", "s", MONOTONIC_SUM)).isEqualTo("system_disk_operation_time_seconds_total");
    assertThat(name("active_directory.ds.name_cache.hit_rate", "%", GAUGE))
        .isEqualTo("active_directory_ds_name_cache_hit_rate_percent");
  }

  @Test
  void annotationsAddNothingButAPerUnitStillCounts() {
    assertThat(name("system.network.dropped", "{packets}", GAUGE)).isEqualTo("system_network_dropped");
    assertThat(name("system.network.dropped", "{packets}", MONOTONIC_SUM)).isEqualTo("system_network_dropped_total");
    assertThat(name("active_directory.ds.replication.object.rate", "{objects}/s", GAUGE))
        .isEqualTo("active_directory_ds_replication_object_rate_per_second");
    assertThat(name("mongodbatlas.process.db.query_targeting.scanned_per_returned", "{scanned}/{returned}", GAUGE))
        .isEqualTo("mongodbatlas_process_db_query_targeting_scanned_per_returned");
  }

  @Test
  void aUnitWordTheNameAlreadyHasIsNotRepeated() {
    assertThat(name("latency_seconds", "s", HISTOGRAM)).isEqualTo("latency_seconds");
    assertThat(name("request.seconds.p99", "s", GAUGE)).isEqualTo("request_seconds_p99");
    assertThat(name("network_transmitted_bytes_total", "By", MONOTONIC_SUM)).isEqualTo("network_transmitted_bytes_total");
    assertThat(name("system.network.packets.dropped", "packets", GAUGE)).isEqualTo("system_network_packets_dropped");
    assertThat(name("system.network.dropped", "packets", GAUGE)).isEqualTo("system_network_dropped_packets");
    assertThat(name("broken.metric.success_percent", "%", GAUGE)).isEqualTo("broken_metric_success_percent");
    assertThat(name("broken.metric.success_ratio", "%", GAUGE)).isEqualTo("broken_metric_success_ratio_percent");
  }

  @Test
  void totalEndsMonotonicSumsOnlyAndRatioGaugesOfUnitOneOnly() {
    // total is moved to the end of a counter, never doubled ...
    assertThat(name("requests_total", "", MONOTONIC_SUM)).isEqualTo("requests_total");
    assertThat(name("total.requests", "", MONOTONIC_SUM)).isEqualTo("requests_total");
    assertThat(name("apache.requests", "1", MONOTONIC_SUM)).isEqualTo("apache_requests_total");
    // ... and other kinds keep the name's words as they are (the Collector adds total to counters only).
    assertThat(name("foo_total", "", GAUGE)).isEqualTo("foo_total");
    assertThat(name("queue.size", "{item}", NON_MONOTONIC_SUM)).isEqualTo("queue_size");
    assertThat(name("queue.total", "{item}", NON_MONOTONIC_SUM)).isEqualTo("queue_total");
    // ratio: gauges of unit 1, moved to the end, not doubled; not for sums or histograms of unit 1.
    assertThat(name("system.cpu.utilization", "1", GAUGE)).isEqualTo("system_cpu_utilization_ratio");
    assertThat(name("hw.fan.speed_ratio", "1", GAUGE)).isEqualTo("hw_fan_speed_ratio");
    assertThat(name("system.cpu.load_average.15m", "1", GAUGE)).isEqualTo("system_cpu_load_average_15m_ratio");
    assertThat(name("objects", "1", MONOTONIC_SUM)).isEqualTo("objects_total");
    assertThat(name("cache.fill", "1", NON_MONOTONIC_SUM)).isEqualTo("cache_fill");
    assertThat(name("batch.fill", "1", HISTOGRAM)).isEqualTo("batch_fill");
    assertThat(name("rpc.latency", "ms", SUMMARY)).isEqualTo("rpc_latency_milliseconds");
  }

  @Test
  void invalidCharactersSeparateWordsAndSeparatorsCollapse() {
    assertThat(name("envoy__rule_engine_zlib_buf_error", "", GAUGE)).isEqualTo("envoy_rule_engine_zlib_buf_error");
    assertThat(name(":foo::bar", "", GAUGE)).isEqualTo("foo_bar");
    assertThat(name(":foo::bar", "", MONOTONIC_SUM)).isEqualTo("foo_bar_total");
    assertThat(name("http-server/requests (in flight)", "", GAUGE)).isEqualTo("http_server_requests_in_flight");
    assertThat(name("\t system.filesystem.usage       ", "  By\t", GAUGE)).isEqualTo("system_filesystem_usage_bytes");
    assertThat(name("température.cœur", "Cel", GAUGE)).isEqualTo("temp_rature_c_ur_celsius");
    assertThat(name("test.metric.no_unit", "", GAUGE)).isEqualTo("test_metric_no_unit");
    assertThat(name("test.metric.spaces", "   \t  ", GAUGE)).isEqualTo("test_metric_spaces");
  }

  @Test
  void unitsWithCharactersPrometheusCannotTakeAreCleaned() {
    assertThat(name("unsupported.metric.temperature", "°F", GAUGE)).isEqualTo("unsupported_metric_temperature_F");
    assertThat(name("unsupported.metric.weird", "+=.:,!* & #", GAUGE)).isEqualTo("unsupported_metric_weird");
    assertThat(name("unsupported.metric.redundant", "__test $/°C", GAUGE))
        .isEqualTo("unsupported_metric_redundant_test_per_C");
  }

  @Test
  void aLeadingDigitGetsAnUnderscore() {
    assertThat(name("3.14 digits", "", GAUGE)).isEqualTo("_3_14_digits");
    assertThat(name("2xx.responses", "{response}", MONOTONIC_SUM)).isEqualTo("_2xx_responses_total");
    assertThat(name("...", "", GAUGE)).isEqualTo("_");
  }

  @Test
  void theNamespaceIsAPrefix() {
    assertThat(PrometheusNames.metricName("workers.busy_time", "s", MONOTONIC_SUM, "inflight", true))
        .isEqualTo("inflight_workers_busy_time_seconds_total");
    assertThat(PrometheusNames.metricName("test", "", GAUGE, "space", true)).isEqualTo("space_test");
    assertThat(PrometheusNames.metricName("#test", "", GAUGE, "space", true)).isEqualTo("space_test");
    assertThat(PrometheusNames.metricName("network.io", "By", MONOTONIC_SUM, "system", true))
        .isEqualTo("system_network_io_bytes_total");
    // A namespace keeps a name from starting with a digit.
    assertThat(PrometheusNames.metricName("2xx", "", GAUGE, "http", true)).isEqualTo("http_2xx");
  }

  @Test
  void withoutSuffixesOnlyTheNamesOwnWordsRemain() {
    assertThat(PrometheusNames.metricName("workers.busy_time", "s", MONOTONIC_SUM, "", false)).isEqualTo("workers_busy_time");
    assertThat(PrometheusNames.metricName("workers.utilization", "1", GAUGE, "", false)).isEqualTo("workers_utilization");
    assertThat(PrometheusNames.metricName("workers.duration", "s", HISTOGRAM, "", false)).isEqualTo("workers_duration");
    assertThat(PrometheusNames.metricName("system.io", "By", MONOTONIC_SUM, "ns", false)).isEqualTo("ns_system_io");
    assertThat(PrometheusNames.metricName("requests_total", "", MONOTONIC_SUM, "", false)).isEqualTo("requests_total");
  }

  @Test
  void theFamilyNameOfACounterHasNoTotal() {
    assertThat(PrometheusNames.familyName("workers_busy_time_seconds_total", true)).isEqualTo("workers_busy_time_seconds");
    assertThat(PrometheusNames.familyName("workers_spans_total", true)).isEqualTo("workers_spans");
    assertThat(PrometheusNames.familyName("foo_total", false)).isEqualTo("foo_total");
    assertThat(PrometheusNames.familyName("workers_busy_time", true)).isEqualTo("workers_busy_time");
  }

  @Test
  void theUnitOfAFamilyIsTheWordItEndsWith() {
    assertThat(PrometheusNames.unitOf("workers_busy_time_seconds", "s", MONOTONIC_SUM)).isEqualTo("seconds");
    assertThat(PrometheusNames.unitOf("workers_duration_seconds", "s", HISTOGRAM)).isEqualTo("seconds");
    assertThat(PrometheusNames.unitOf("workers_utilization_ratio", "1", GAUGE)).isEqualTo("ratio");
    assertThat(PrometheusNames.unitOf("http_server_request_size_bytes", "By", HISTOGRAM)).isEqualTo("bytes");
    assertThat(PrometheusNames.unitOf("workers_active", "{worker}", GAUGE)).isNull();
    assertThat(PrometheusNames.unitOf("objects", "1", MONOTONIC_SUM)).isNull();
    assertThat(PrometheusNames.unitOf("network_io_bytes_per_second", "By/s", GAUGE)).isNull();
    assertThat(PrometheusNames.unitOf("workers_busy_time", "s", MONOTONIC_SUM)).isNull(); // add_metric_suffixes: false
    assertThat(PrometheusNames.unitOf("workers_active", "", GAUGE)).isNull();
  }

  @Test
  void labelNamesFromAttributeKeys() {
    assertThat(PrometheusNames.labelName("service.name")).isEqualTo("service_name");
    assertThat(PrometheusNames.labelName("worker.type")).isEqualTo("worker_type");
    assertThat(PrometheusNames.labelName("http-method")).isEqualTo("http_method");
    assertThat(PrometheusNames.labelName("already_fine")).isEqualTo("already_fine");
    assertThat(PrometheusNames.labelName("CamelCase9")).isEqualTo("CamelCase9");
    assertThat(PrometheusNames.labelName("1abc")).isEqualTo("key_1abc");
    assertThat(PrometheusNames.labelName("_x")).isEqualTo("key_x");
    assertThat(PrometheusNames.labelName("__x")).isEqualTo("key__x");
    assertThat(PrometheusNames.labelName("__name__")).isEqualTo("key__name__");
    assertThat(PrometheusNames.labelName("ünïcødé")).isEqualTo("key_n_c_d_");
    assertThat(PrometheusNames.labelName("名前")).isEqualTo("key__");
    assertThat(PrometheusNames.labelName("a b")).isEqualTo("a_b");
    assertThat(PrometheusNames.labelName(".x")).isEqualTo("key_x");
    // Label names keep runs of separators: a.b and a..b stay different labels.
    assertThat(PrometheusNames.labelName("a..b")).isEqualTo("a__b");
  }
}
