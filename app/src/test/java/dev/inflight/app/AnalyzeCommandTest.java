package dev.inflight.app;

import static dev.inflight.app.RecordingFixture.BASE;
import static dev.inflight.app.RecordingFixture.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inflight.exporter.file.FileExporterConfig.Compression;
import dev.inflight.exporter.file.FileExporterConfig.Format;
import dev.inflight.app.RecordingFixture.Run;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code inflight analyze} end to end: recordings written by the real file exporter, the command run by picocli. */
class AnalyzeCommandTest {
  static final String[] TYPES = {"--worker-type", "db=db *:4", "--worker-type", "cpu=cpu *",
      "--instance-attribute", "thread.name"};

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"PROTO,NONE", "PROTO,ZSTD", "JSON,NONE", "JSON,ZSTD"})
  void jsonNumbersOfTheKnownSpansInEveryLayout(Format format, Compression compression) throws Exception {
    Path file = dir.resolve("spans.rec");
    RecordingFixture.record(file, format, compression, RecordingFixture.knownRequests(), RecordingFixture.metrics());

    Run run = RecordingFixture.run(new AnalyzeCommand(), concat(TYPES, "--json", file.toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertThat(doc.get("records").asLong()).isEqualTo(3);
    assertThat(doc.get("metrics_records_skipped").asLong()).isEqualTo(1);
    assertThat(doc.get("damaged_records_skipped").asLong()).isZero();
    assertThat(doc.get("spans").asLong()).isEqualTo(7);
    assertThat(doc.get("spans_unmatched").asLong()).isEqualTo(1);
    assertThat(doc.at("/range/start_unix_ns").asLong()).isEqualTo(BASE);
    assertThat(doc.at("/range/start_utc").asText()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(doc.at("/range/duration_ns").asLong()).isEqualTo(100 * MS);
    assertThat(doc.at("/range/duration_ms").asDouble()).isEqualTo(100.0);
    assertThat(doc.get("instance_attribute").asText()).isEqualTo("thread.name");

    JsonNode db = doc.at("/worker_types/0");
    assertThat(db.get("name").asText()).isEqualTo("db");
    assertThat(db.get("capacity").asDouble()).isEqualTo(4);
    assertThat(db.get("spans").asLong()).isEqualTo(4);
    assertThat(db.get("errors").asLong()).isEqualTo(1);
    assertThat(db.get("busy_time_ns").asLong()).isEqualTo(60 * MS);
    assertThat(db.get("mean_concurrency").asDouble()).isCloseTo(0.6, within(1e-12));
    assertThat(db.get("peak_concurrency").asInt()).isEqualTo(2);
    assertThat(db.get("utilization_mean").asDouble()).isCloseTo(0.15, within(1e-12));
    assertThat(db.get("utilization_peak").asDouble()).isEqualTo(0.5);
    assertThat(db.at("/duration/p50_ns").asLong()).isEqualTo(10 * MS);
    assertThat(db.at("/duration/p90_ns").asLong()).isEqualTo(30 * MS);
    assertThat(db.at("/duration/p99_ms").asDouble()).isEqualTo(30.0);
    assertThat(db.at("/duration/max_ns").asLong()).isEqualTo(30 * MS);
    assertThat(db.at("/longest_spans/0/span_id").asText()).isEqualTo("00000000000000a4");
    assertThat(db.at("/longest_spans/0/trace_id").asText()).isEqualTo(RecordingFixture.TRACE);
    assertThat(db.at("/longest_spans/0/name").asText()).isEqualTo("db query");
    assertThat(db.at("/longest_spans/0/start_unix_ns").asLong()).isEqualTo(BASE + 40 * MS);
    assertThat(db.get("longest_spans")).hasSize(4);
    assertThat(db.at("/idle/busy_union_ns").asLong()).isEqualTo(50 * MS);
    assertThat(db.at("/idle/idle_ns").asLong()).isEqualTo(50 * MS);
    assertThat(db.at("/idle/gaps").asLong()).isEqualTo(2);
    assertThat(db.at("/idle/gap_time_ns").asLong()).isEqualTo(50 * MS);
    assertThat(db.at("/idle/gap_percent").asDouble()).isCloseTo(50.0, within(1e-9));
    assertThat(db.at("/idle/longest_gaps/0/start_unix_ns").asLong()).isEqualTo(BASE + 70 * MS);
    assertThat(db.at("/idle/longest_gaps/0/duration_ns").asLong()).isEqualTo(30 * MS);
    assertThat(db.at("/idle/longest_gaps/1/start_unix_ns").asLong()).isEqualTo(BASE + 20 * MS);
    assertThat(db.at("/instances/count").asInt()).isEqualTo(2);
    assertThat(db.at("/instances/list/0/instance").asText()).isEqualTo("t2");
    assertThat(db.at("/instances/list/0/busy_percent").asDouble()).isCloseTo(40.0, within(1e-9));
    assertThat(db.at("/instances/list/1/instance").asText()).isEqualTo("t1");
    assertThat(db.at("/instances/list/1/busy_ns").asLong()).isEqualTo(20 * MS);
    assertThat(db.at("/instances/list/1/peak_concurrency").asInt()).isEqualTo(1);
    assertThat(db.at("/instances/max_min_busy_ratio").asDouble()).isCloseTo(2.0, within(1e-12));
    assertThat(db.at("/instances/busy_coefficient_of_variation").asDouble()).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(db.at("/instances/idle")).isEmpty();

    JsonNode cpu = doc.at("/worker_types/1");
    assertThat(cpu.get("name").asText()).isEqualTo("cpu");
    assertThat(cpu.get("capacity").isNull()).isTrue();
    assertThat(cpu.get("utilization_mean").isNull()).isTrue();
    assertThat(cpu.get("spans").asLong()).isEqualTo(2);
    assertThat(cpu.get("peak_concurrency").asInt()).isEqualTo(1);
    assertThat(cpu.at("/instances/idle/0").asText()).isEqualTo("t3");
    assertThat(cpu.at("/instances/list/1/idle").asBoolean()).isTrue();
    assertThat(cpu.at("/instances/max_min_busy_ratio").asDouble()).isCloseTo(4.0, within(1e-9));
  }

  @Test
  void textReport() throws Exception {
    Path file = dir.resolve("spans.binpb");
    RecordingFixture.record(file, Format.PROTO, Compression.NONE, RecordingFixture.knownRequests(), null);

    Run run = RecordingFixture.run(new AnalyzeCommand(), concat(TYPES, "--top", "2", file.toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("Read 1 file, 2 records.")
        .contains("7 spans: 6 of a worker type, 1 matched no worker type.")
        .contains("Worker types from --worker-type.")
        .contains("Range: 2023-11-14 22:13:20.000000 to 2023-11-14 22:13:20.100000 UTC, 100.000 ms")
        .contains("earliest start to latest end of all spans read")
        .containsPattern("db +4 +1 +0\\.60 +2 +4 +15\\.0%/50\\.0% +50\\.0% +2")
        .containsPattern("cpu +2 +0 +0\\.03 +1 +- +- +2\\.5% +3")
        .contains("duration (nearest rank): p50 10.000 ms  p90 30.000 ms  p99 30.000 ms  max 30.000 ms")
        .containsPattern("30\\.000 ms +22:13:20\\.040000 +4bf92f3577b34da6a3ce929d0e0e4737 +00000000000000a4 +db query")
        .containsPattern("10\\.000 ms +22:13:20\\.000000 +4bf92f3577b34da6a3ce929d0e0e4737 +00000000000000a1 +db query")
        .contains("idle gaps longer than 1.000 ms: 2, 50.000 ms in all (50.0% of the range); longest:")
        .containsPattern("30\\.000 ms +2023-11-14 22:13:20\\.070000 +2023-11-14 22:13:20\\.100000")
        .contains("instances (thread.name): 2; 0 idle (busy < 1%)")
        .contains("imbalance: max/min busy 2.00, coefficient of variation of busy % 0.33")
        .containsPattern("t2 +2 +40\\.0% +1")
        .contains("instances (thread.name): 2; 1 idle (busy < 1%): t3")
        .containsPattern("t3 +1 +0\\.5% +1  idle");
    assertThat(run.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
  }

  @Test
  void cutOffLastRecordIsAWarningAndTheRestIsAnalysed() throws Exception {
    Path file = dir.resolve("spans.binpb");
    RecordingFixture.record(file, Format.PROTO, Compression.NONE, RecordingFixture.knownRequests(), null);
    byte[] more = RecordingFixture.request(RecordingFixture.span("00000000000000b1", "db query", 90 * MS,
        200 * MS, "t9", false)).toByteArray();
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    new DataOutputStream(tail).writeInt(more.length);
    tail.write(more, 0, more.length / 2);
    Files.write(file, tail.toByteArray(), java.nio.file.StandardOpenOption.APPEND);

    Run run = RecordingFixture.run(new AnalyzeCommand(), concat(TYPES, "--json", file.toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).startsWith("warning: " + file + ": the last record (at byte ").contains("cut off");
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertThat(doc.get("truncated_files").asLong()).isEqualTo(1);
    assertThat(doc.get("damaged_records_skipped").asLong()).isZero();
    assertThat(doc.get("spans").asLong()).isEqualTo(7);
    assertThat(doc.at("/range/duration_ns").asLong()).isEqualTo(100 * MS);
  }

  @Test
  void damagedRecordInTheMiddleExitsOneAndAnalysesTheRest() throws Exception {
    Path file = dir.resolve("spans.binpb");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(bytes);
    byte[] first = RecordingFixture.knownRequests().get(0).toByteArray();
    byte[] second = RecordingFixture.knownRequests().get(1).toByteArray();
    byte[] garbage = {0x0a, 0x7f, 0x01, 0x02}; // a resource_spans field longer than the record
    for (byte[] r : new byte[][] {first, garbage, second}) {
      data.writeInt(r.length);
      data.write(r);
    }
    Files.write(file, bytes.toByteArray());

    Run run = RecordingFixture.run(new AnalyzeCommand(), concat(TYPES, "--json", file.toString()));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("warning: " + file + ": ");
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertThat(doc.get("damaged_records_skipped").asLong()).isEqualTo(1);
    assertThat(doc.get("spans").asLong()).isEqualTo(7);
  }

  @Test
  void workerTypesFromAConfigWithItsInstanceAttribute() throws Exception {
    Path file = dir.resolve("spans.binpb");
    RecordingFixture.record(file, Format.PROTO, Compression.NONE, RecordingFixture.knownRequests(), null);
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        receivers: {otlp: {protocols: {grpc: {endpoint: "localhost:0"}}}}
        connectors:
          concurrency/db:
            instance_attribute: thread.name
            worker_types:
              - {name: queries, match: ["db *"], capacity: 2}
        exporters: {debug: {}}
        service:
          pipelines:
            traces: {receivers: [otlp], exporters: [concurrency/db]}
            metrics: {receivers: [concurrency/db], exporters: [debug]}
        """);

    Run run = RecordingFixture.run(new AnalyzeCommand(), "--config", config.toString(), "--json", file.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertThat(doc.get("worker_types_from").asText()).isEqualTo(config + ", connector concurrency/db");
    assertThat(doc.get("worker_types")).hasSize(1);
    assertThat(doc.at("/worker_types/0/name").asText()).isEqualTo("queries");
    assertThat(doc.at("/worker_types/0/utilization_peak").asDouble()).isEqualTo(1.0);
    assertThat(doc.get("spans_unmatched").asLong()).isEqualTo(3);
    assertThat(doc.at("/worker_types/0/instances/count").asInt()).isEqualTo(2);
  }

  @Test
  void defaultConfigAndByName() throws Exception {
    Path file = dir.resolve("spans.binpb");
    RecordingFixture.record(file, Format.PROTO, Compression.NONE, RecordingFixture.knownRequests(), null);

    Run defaults = RecordingFixture.run(new AnalyzeCommand(), "--json", file.toString());
    assertThat(defaults.exitCode()).as(defaults.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(defaults.out());
    assertThat(doc.get("worker_types_from").asText()).isEqualTo("embedded otel-collector.yaml, connector concurrency");
    assertThat(doc.at("/worker_types/0/name").asText()).isEqualTo("account_workers");
    assertThat(doc.get("spans_unmatched").asLong()).isEqualTo(7);
    assertThat(doc.get("instance_attribute").isNull()).isTrue();

    Run byName = RecordingFixture.run(new AnalyzeCommand(), "--by-name", "--json", file.toString());
    JsonNode names = new ObjectMapper().readTree(byName.out());
    assertThat(names.get("worker_types")).extracting(n -> n.get("name").asText())
        .containsExactly("GET /checkout", "cpu work", "db query");
    assertThat(names.get("spans_unmatched").asLong()).isZero();
  }

  @Test
  void usageErrors() throws Exception {
    Run missing = RecordingFixture.run(new AnalyzeCommand(), "--by-name", dir.resolve("nope.binpb").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err().strip()).isEqualTo("inflight analyze: " + dir.resolve("nope.binpb")
        + ": no such recording file (nothing matches)");

    Run both = RecordingFixture.run(new AnalyzeCommand(), "--by-name", "--worker-type", "a=b", "x");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--by-name and --worker-type exclude each other");

    Run bad = RecordingFixture.run(new AnalyzeCommand(), "--worker-type", "nopattern", "x");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("must be NAME=GLOB[,GLOB...][:CAPACITY]");

    Run regex = RecordingFixture.run(new AnalyzeCommand(), "--worker-type", "a=regex:(", "x");
    assertThat(regex.exitCode()).isEqualTo(2);
    assertThat(regex.err()).contains("worker type \"a\": invalid RE2 pattern");

    Path file = dir.resolve("spans.binpb");
    RecordingFixture.record(file, Format.PROTO, Compression.NONE, RecordingFixture.knownRequests(), null);
    Run noConnector = RecordingFixture.run(new AnalyzeCommand(), "--connector", "concurrency/x", file.toString());
    assertThat(noConnector.exitCode()).isEqualTo(2);
    assertThat(noConnector.err().strip())
        .isEqualTo("inflight analyze: embedded otel-collector.yaml has no connector concurrency/x; it has concurrency");
  }

  @Test
  void rotatedFilesAsADirectoryAndAGlob() throws Exception {
    RecordingFixture.record(dir.resolve("a.binpb"), Format.PROTO, Compression.NONE,
        RecordingFixture.knownRequests().subList(0, 1), null);
    RecordingFixture.record(dir.resolve("b.binpb"), Format.PROTO, Compression.ZSTD,
        RecordingFixture.knownRequests().subList(1, 2), null);
    for (String pattern : new String[] {dir.toString(), dir + "/*.binpb"}) {
      Run run = RecordingFixture.run(new AnalyzeCommand(), concat(TYPES, "--json", pattern));
      JsonNode doc = new ObjectMapper().readTree(run.out());
      assertThat(doc.get("files")).hasSize(2);
      assertThat(doc.get("spans").asLong()).isEqualTo(7);
      assertThat(doc.at("/worker_types/0/peak_concurrency").asInt()).isEqualTo(2);
    }
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void logsRecordsAreSkippedAndCountedTheSpansAnalysedAsWithoutThem() throws Exception {
    Path without = dir.resolve("spans.binpb");
    Path with = dir.resolve("telemetry.binpb");
    RecordingFixture.record(without, Format.PROTO, Compression.ZSTD, RecordingFixture.knownRequests(), null);
    RecordingFixture.record(with, Format.PROTO, Compression.ZSTD, RecordingFixture.knownRequests(), null,
        ConvertCommandTest.logs());

    Run plain = RecordingFixture.run(new AnalyzeCommand(), concat(TYPES, "--json", without.toString()));
    Run run = RecordingFixture.run(new AnalyzeCommand(), concat(TYPES, "--json", with.toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    ObjectMapper mapper = new ObjectMapper();
    JsonNode doc = mapper.readTree(run.out());
    assertThat(doc.get("records").asLong()).isEqualTo(4);
    assertThat(doc.get("logs_records_skipped").asLong()).isEqualTo(2);
    assertThat(doc.get("damaged_records_skipped").asLong()).isZero();
    assertThat(doc.get("worker_types")).isEqualTo(mapper.readTree(plain.out()).get("worker_types"));
    Run text = RecordingFixture.run(new AnalyzeCommand(), concat(TYPES, with.toString()));
    assertThat(text.out()).contains("4 records (2 logs records skipped)");
  }
}
