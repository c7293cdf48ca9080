package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inflight.app.QueryApiFixture.Run;
import dev.inflight.tools.loadgen.DiscardingSink;
import dev.inflight.tools.loadgen.Protocol;
import dev.inflight.tools.loadgen.TraceShape;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code inflight loadgen}: its options, and runs against a {@link DiscardingSink} in this JVM. */
class LoadgenCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Run loadgen(String... args) {
    return QueryApiFixture.run(new LoadgenCommand(), args);
  }

  /** The options as the command reads them, without sending anything. */
  private static LoadgenCommand.Settings settings(String... args) {
    LoadgenCommand command = new LoadgenCommand();
    new CommandLine(command).parseArgs(args);
    return command.settings();
  }

  private static int closedPort() throws Exception {
    return URI.create(QueryApiFixture.refusingUrl()).getPort();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
    "--protocol    | http/xml      | --protocol: unknown protocol \"http/xml\": use grpc, http/protobuf or http/json",
    "--rate        | abc           | --rate must be spans per second (e.g. 50000 or 50k) or max, got \"abc\"",
    "--rate        | -5            | --rate must be 0 or more spans per second, got \"-5\"",
    "--rate        | 1e400         | --rate must be 0 or more spans per second",
    "--endpoint    | 127.0.0.1     | --endpoint must be host:port, e.g. 127.0.0.1:4317, got 127.0.0.1",
    "--endpoint    | [::1]         | --endpoint must be host:port",
    "--endpoint    | ::1           | --endpoint: write an IPv6 address in brackets with a port, e.g. [::1]:4317, got ::1",
    "--endpoint    | fe80::1:4317  | --endpoint: write an IPv6 address in brackets with a port",
    "--endpoint    | 127.0.0.1:0   | --endpoint: the port must be 1 to 65535, got 127.0.0.1:0",
    "--endpoint    | 127.0.0.1:x   | --endpoint: the port must be 1 to 65535",
    "--endpoint    | https://h:443 | --endpoint: only plaintext is supported",
    "--duration    | 0s            | --duration must be longer than 0",
    "--duration    | 5             | --duration: invalid duration \"5\": it has no unit",
    "--duration    | -1s           | --duration must not be negative, got -1s",
    "--timeout     | 0s            | --timeout must be longer than 0",
    "--connections | 0             | --connections must be 1 to 1024, got 0",
    "--connections | 2000          | --connections must be 1 to 1024, got 2000",
    "--spans-per-request | 0       | spans per request must be 1 to 100000, got 0",
    "--services    | 0             | services must be 1 to 10000, got 0",
  })
  void usageErrorsExit2WithAMessageNamingTheOption(String option, String value, String message) throws Exception {
    // Should a check be missing, send briefly to a closed port, not to whatever listens on 4317.
    List<String> args = new ArrayList<>(List.of(option, value));
    if (!option.equals("--endpoint")) {
      args.addAll(List.of("--endpoint", "127.0.0.1:" + closedPort()));
    }
    if (!option.equals("--duration")) {
      args.addAll(List.of("--duration", "100ms"));
    }
    Run run = loadgen(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith(message).contains("Usage: loadgen");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aNonNumberForANumericOptionIsAUsageErrorToo() {
    Run run = loadgen("--connections", "two");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--connections", "'two' is not an int");
  }

  @Test
  void ratesParseWithKSuffixUnderscoresAndMax() {
    assertThat(settings("--rate", "50k").rate()).isEqualTo(50_000);
    assertThat(settings("--rate", "2.5K").rate()).isEqualTo(2_500);
    assertThat(settings("--rate", "100_000").rate()).isEqualTo(100_000);
    assertThat(settings("--rate", "1234").rate()).isEqualTo(1_234);
    assertThat(settings("--rate", "max").rate()).isZero();
    assertThat(settings("--rate", "MAX").rate()).isZero();
    assertThat(settings().rate()).as("default").isEqualTo(10_000);
  }

  @Test
  void endpointsAndDefaults() {
    LoadgenCommand.Settings defaults = settings();
    assertThat(defaults.target().protocol()).isEqualTo(Protocol.GRPC);
    assertThat(defaults.target().host()).isEqualTo("127.0.0.1");
    assertThat(defaults.target().port()).isEqualTo(4317);
    assertThat(defaults.target().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.duration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.warmup()).isZero();
    assertThat(defaults.shape()).isEqualTo(TraceShape.defaults());

    assertThat(settings("--protocol", "http/json").target().port()).isEqualTo(4318);
    assertThat(settings("--protocol", "HTTP/Protobuf").target().protocol()).isEqualTo(Protocol.HTTP_PROTOBUF);

    LoadgenCommand.Settings url = settings("--protocol", "http/protobuf", "--endpoint", "http://collector:4318/v1/traces");
    assertThat(url.target().host()).isEqualTo("collector");
    assertThat(url.target().port()).isEqualTo(4318);

    LoadgenCommand.Settings v6 = settings("--endpoint", "[::1]:14317");
    assertThat(v6.target().host()).isEqualTo("::1");
    assertThat(v6.target().port()).isEqualTo(14317);

    assertThat(settings("--duration", "1m30s", "--warmup", "500ms").duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings("--warmup", "500ms").warmup()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void shapeOptions() {
    TraceShape shape = settings("--spans-per-request", "7", "--attributes", "3", "--services", "5",
        "--worker-types", "pool a,pool b").shape();
    assertThat(shape).isEqualTo(new TraceShape(7, 3, List.of("pool a", "pool b"), 5));
  }

  @Test
  void jsonReportAgainstASinkCountsWhatTheSinkGot() throws Exception {
    try (DiscardingSink sink = new DiscardingSink("127.0.0.1")) {
      Run run = loadgen("--endpoint", "127.0.0.1:" + sink.port(), "--rate", "20000", "--duration", "1s", "--json");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).endsWith("}\n").hasLineCount(1);
      JsonNode report = JSON.readTree(run.out());
      long spans = report.get("spans").asLong();
      assertThat(spans).isPositive().isEqualTo(sink.spans());
      assertThat(spans).isEqualTo(report.get("requests").asLong() * 512);
      assertThat(report.get("protocol").asText()).isEqualTo("grpc");
      assertThat(report.get("endpoint").asText()).isEqualTo("127.0.0.1:" + sink.port());
      assertThat(report.get("offered_spans_per_second").asDouble()).isEqualTo(20_000);
      assertThat(report.get("rejected_spans").asLong()).isZero();
      assertThat(report.get("errors").size()).isZero();
      // 512-span requests due every 25.6 ms for 1 s: 40 at most.
      assertThat(report.get("requests").asLong()).isBetween(1L, 40L);
    }
  }

  @Test
  void textReportWithWarmupCountsOnlyTheMeasuredRun() throws Exception {
    try (DiscardingSink sink = new DiscardingSink("127.0.0.1")) {
      Run run = loadgen("--endpoint", "127.0.0.1:" + sink.port(), "--rate", "5120", "--duration", "300ms",
          "--warmup", "300ms", "--spans-per-request", "64", "--connections", "1");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).startsWith("inflight loadgen: grpc → 127.0.0.1:" + sink.port()
          + ", 1 connection, 64 spans/request, 20 attributes/span\n");
      assertThat(run.out()).contains("offered   5,120 spans/s\n", "errors    none\n", "latency   p50 ");
      // The measured run's spans: the sink also got the warm-up's, which are not in the report.
      String achieved = run.out().lines().filter(l -> l.startsWith("achieved")).findFirst().orElseThrow();
      long reported = Long.parseLong(achieved.replaceAll(".*\\(([0-9,]+) spans in.*", "$1").replace(",", ""));
      assertThat(reported).isPositive().isLessThan(sink.spans());
      assertThat(reported % 64).isZero();
    }
  }

  @Test
  void nothingListeningExits3() throws Exception {
    int port = closedPort();
    for (String protocol : List.of("grpc", "http/protobuf")) {
      Run run = loadgen("--endpoint", "127.0.0.1:" + port, "--protocol", protocol, "--rate", "2000",
          "--duration", "300ms", "--json");

      assertThat(run.exitCode()).as(protocol + ": " + run.err()).isEqualTo(3);
      JsonNode report = JSON.readTree(run.out());
      assertThat(report.get("spans").asLong()).isZero();
      assertThat(report.get("errors").fieldNames()).toIterable()
          .containsExactly(protocol.equals("grpc") ? "grpc UNAVAILABLE" : "http ConnectException");
    }
  }

  @Test
  void helpExits0() {
    Run run = loadgen("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--rate=SPANS_PER_SECOND", "--protocol=PROTOCOL", "Exit code 0");
  }
}
