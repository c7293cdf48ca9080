package dev.inflight.processor.attributes;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.service.config.ConfigFixture;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The attributes processor on spans, log records and data points, configured through the real
 * loader with the contrib README's examples.
 */
class AttributesProcessorTest {
  private final List<Traces> gotTraces = new ArrayList<>();
  private final List<Logs> gotLogs = new ArrayList<>();
  private final List<Metrics> gotMetrics = new ArrayList<>();

  // --- helpers

  private static AttributesProcessorConfig config(String processorYaml) throws Exception {
    String yaml = "receivers:\n  nop:\nprocessors:\n  attributes:\n" + processorYaml.indent(4)
        + "exporters:\n  nop:\nservice:\n  pipelines:\n    traces:\n      receivers: [nop]\n"
        + "      processors: [attributes]\n      exporters: [nop]\n";
    return ConfigFixture.component(
        ConfigFixture.load(yaml, nopReceiver(), nopExporter(), new AttributesProcessorFactory()),
        ComponentKind.PROCESSOR, "attributes");
  }

  private static CreateSettings settings() {
    ComponentId id = ComponentId.of("attributes");
    return new CreateSettings(
        id, ComponentKind.PROCESSOR, ComponentTelemetry.noop(ComponentKind.PROCESSOR, id), new HashMap<>());
  }

  private Traces process(String yaml, Traces in) throws Exception {
    new AttributesProcessorFactory().createTraces(settings(), config(yaml), gotTraces::add).consumeTraces(in);
    assertThat(gotTraces).hasSize(1);
    return gotTraces.get(0);
  }

  static KeyValue kv(String key, Object value) {
    AnyValue.Builder v = AnyValue.newBuilder();
    if (value instanceof String s) {
      v.setStringValue(s);
    } else if (value instanceof Integer i) {
      v.setIntValue(i);
    } else if (value instanceof Long l) {
      v.setIntValue(l);
    } else if (value instanceof Double d) {
      v.setDoubleValue(d);
    } else if (value instanceof Boolean b) {
      v.setBoolValue(b);
    }
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  private static Span span(String name, Span.SpanKind kind, KeyValue... attrs) {
    return Span.newBuilder().setName(name).setKind(kind).addAllAttributes(List.of(attrs)).build();
  }

  private static Traces traces(String service, String library, Span... spans) {
    return Traces.of(
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .setScope(InstrumentationScope.newBuilder().setName(library).setVersion("1.0"))
                            .addAllSpans(List.of(spans))))
            .build());
  }

  private static Traces traces(Span... spans) {
    return traces("svc", "lib", spans);
  }

  /** Span {@code i}'s attributes, in order, as key → plain Java value. */
  private static Map<String, Object> attrs(Traces t, int i) {
    return plain(t.request().getResourceSpans(0).getScopeSpans(0).getSpans(i).getAttributesList());
  }

  static Map<String, Object> plain(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      out.put(
          kv.getKey(),
          switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            default -> v.toString();
          });
    }
    return out;
  }

  // --- actions: the README's example, one action at a time and all together

  @Test
  void insertSetsOnlyAbsentKeys() throws Exception {
    Traces out =
        process(
            "actions:\n  - {key: account_id, value: 2245, action: insert}\n",
            traces(span("a", Span.SpanKind.SPAN_KIND_SERVER), span("b", Span.SpanKind.SPAN_KIND_SERVER, kv("account_id", "x"))));

    assertThat(attrs(out, 0)).containsExactly(Map.entry("account_id", 2245L));
    assertThat(attrs(out, 1)).containsExactly(Map.entry("account_id", "x"));
  }

  @Test
  void updateFromAttributeCopiesOnlyWhereBothArePresent() throws Exception {
    Traces out =
        process(
            "actions:\n  - {key: copy_key, from_attribute: key_original, action: update}\n",
            traces(
                span("a", Span.SpanKind.SPAN_KIND_SERVER, kv("copy_key", "old"), kv("key_original", 7)),
                span("b", Span.SpanKind.SPAN_KIND_SERVER, kv("key_original", 7)),
                span("c", Span.SpanKind.SPAN_KIND_SERVER, kv("copy_key", "old"))));

    assertThat(attrs(out, 0)).containsExactly(Map.entry("copy_key", 7L), Map.entry("key_original", 7L));
    assertThat(attrs(out, 1)).containsExactly(Map.entry("key_original", 7L));
    assertThat(attrs(out, 2)).containsExactly(Map.entry("copy_key", "old"));
  }

  @Test
  void upsertSetsEitherWayKeepingThePosition() throws Exception {
    Traces out =
        process(
            "actions:\n  - {key: redacted_span, value: true, action: upsert}\n",
            traces(
                span("a", Span.SpanKind.SPAN_KIND_SERVER, kv("redacted_span", "no"), kv("z", 1)),
                span("b", Span.SpanKind.SPAN_KIND_SERVER, kv("z", 1))));

    assertThat(attrs(out, 0)).containsExactly(Map.entry("redacted_span", true), Map.entry("z", 1L));
    assertThat(attrs(out, 1)).containsExactly(Map.entry("z", 1L), Map.entry("redacted_span", true));
  }

  @Test
  void deleteByKeyAndByPattern() throws Exception {
    Traces out =
        process(
            """
            actions:
              - {key: db.table, action: delete}
              - {pattern: ^account_, action: delete}
            """,
            traces(
                span("a", Span.SpanKind.SPAN_KIND_SERVER,
                    kv("db.table", "users"), kv("account_password", "s3cret"), kv("account_email", "e"),
                    kv("my_account_x", "kept: the pattern is anchored"))));

    assertThat(attrs(out, 0)).containsExactly(Map.entry("my_account_x", "kept: the pattern is anchored"));
  }

  @Test
  void hashIsSha256HexOfTheCollectorsBytes() throws Exception {
    Traces out =
        process(
            """
            actions:
              - {key: account_email, action: hash}
              - {key: account_id, action: hash}
              - {key: ok, action: hash}
              - {key: ratio, action: hash}
              - {key: empty, action: hash}
              - {pattern: ^secret\\., action: hash}
            """,
            traces(
                span("a", Span.SpanKind.SPAN_KIND_SERVER,
                    kv("account_email", "jane@example.com"), kv("account_id", 2245), kv("ok", true),
                    kv("ratio", 0.5), kv("empty", ""), kv("secret.word", "hello"), kv("public", "hello"))));

    assertThat(attrs(out, 0))
        .containsExactly(
            Map.entry("account_email", "8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d"),
            Map.entry("account_id", "91df0e58e24451873e480a434ac913ec45d00603e21470511a89c1e850e58c87"),
            Map.entry("ok", "4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a"),
            Map.entry("ratio", "4cfa5b42ca669328764e67cd9a34bb8f90b16ed7ca8d85e8443783d7ccce15ed"),
            Map.entry("empty", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            Map.entry("secret.word", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
            Map.entry("public", "hello"));
  }

  @Test
  void extractUpsertsTheNamedGroupsOfTheReadmesUrlPattern() throws Exception {
    Traces out =
        process(
            """
            actions:
              - key: http.url
                pattern: ^(?P<http_protocol>.*):\\/\\/(?P<http_domain>.*)\\/(?P<http_path>.*)(\\?|\\&)(?P<http_query_params>.*)
                action: extract
            """,
            traces(
                span("a", Span.SpanKind.SPAN_KIND_CLIENT,
                    kv("http.url", "http://example.com/path?queryParam1=value1,queryParam2=value2"),
                    kv("http_domain", "overwritten")),
                span("b", Span.SpanKind.SPAN_KIND_CLIENT, kv("http.url", "not a url"))));

    assertThat(attrs(out, 0))
        .containsExactly(
            Map.entry("http.url", "http://example.com/path?queryParam1=value1,queryParam2=value2"),
            Map.entry("http_domain", "example.com"),
            Map.entry("http_protocol", "http"),
            Map.entry("http_path", "path"),
            Map.entry("http_query_params", "queryParam1=value1,queryParam2=value2"));
    assertThat(attrs(out, 1)).containsExactly(Map.entry("http.url", "not a url"));
  }

  @Test
  void convertChangesTypesAndLeavesWhatDoesNotParse() throws Exception {
    Traces out =
        process(
            """
            actions:
              - {key: http.status_code, action: convert, converted_type: int}
              - {key: ratio, action: convert, converted_type: double}
              - {key: truncated, action: convert, converted_type: int}
              - {key: flag, action: convert, converted_type: int}
              - {key: count, action: convert, converted_type: string}
              - {key: bad, action: convert, converted_type: int}
              - {key: spaced, action: convert, converted_type: int}
              - {key: suffixed, action: convert, converted_type: double}
              - {key: small, action: convert, converted_type: string}
            """,
            traces(
                span("a", Span.SpanKind.SPAN_KIND_SERVER,
                    kv("http.status_code", "200"), kv("ratio", "0.25"), kv("truncated", 3.9),
                    kv("flag", true), kv("count", 42), kv("bad", "abc"), kv("spaced", " 7 "),
                    kv("suffixed", "1.5d"), kv("small", 1.5e-7))));

    assertThat(attrs(out, 0))
        .containsExactly(
            Map.entry("http.status_code", 200L),
            Map.entry("ratio", 0.25),
            Map.entry("truncated", 3L),
            Map.entry("flag", 1L),
            Map.entry("count", "42"),
            Map.entry("bad", "abc"),
            // Go's strconv reads neither spaces nor Java's d/f suffixes.
            Map.entry("spaced", " 7 "),
            Map.entry("suffixed", "1.5d"),
            Map.entry("small", "1.5e-7"));
  }

  @Test
  void theDocumentedExampleRunsInOrder() throws Exception {
    AttributesProcessorConfig config =
        ConfigFixture.component(
            ConfigFixture.loadTestdata(
                "attributes/config.yaml", Map.of(), nopReceiver(), nopExporter(), new AttributesProcessorFactory()),
            ComponentKind.PROCESSOR, "attributes/example");
    Traces in =
        traces(
            "auth-service", "lib",
            span("login", Span.SpanKind.SPAN_KIND_SERVER,
                kv("db.table", "users"), kv("copy_key", "x"), kv("key_original", "orig"),
                kv("account_password", "p"), kv("account_email", "hello"), kv("http.status_code", "404")),
            span("redacted", Span.SpanKind.SPAN_KIND_SERVER, kv("redact_trace", false), kv("db.table", "t")));

    new AttributesProcessorFactory().createTraces(settings(), config, gotTraces::add).consumeTraces(in);

    Traces out = gotTraces.get(0);
    assertThat(attrs(out, 0))
        .containsExactly(
            Map.entry("copy_key", "orig"),
            Map.entry("key_original", "orig"),
            Map.entry("account_email", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
            Map.entry("http.status_code", 404L),
            Map.entry("redacted_span", true),
            Map.entry("account_id", 2245L));
    // Excluded by redact_trace: false.
    assertThat(attrs(out, 1)).containsExactly(Map.entry("redact_trace", false), Map.entry("db.table", "t"));
  }

  // --- include / exclude

  @Test
  void strictServicesIncludeAndAttributeExcludeAsInTheReadme() throws Exception {
    String yaml =
        """
        include:
          match_type: strict
          services: ["auth-service"]
        exclude:
          match_type: strict
          attributes:
            - key: redact_trace
              value: false
        actions:
          - {key: credit_card, action: delete}
        """;
    Traces out =
        process(
            yaml,
            traces(
                "auth-service", "lib",
                span("a", Span.SpanKind.SPAN_KIND_SERVER, kv("credit_card", "4111")),
                span("b", Span.SpanKind.SPAN_KIND_SERVER, kv("credit_card", "4111"), kv("redact_trace", false)),
                // "false" the string is not false the boolean: strict compares types.
                span("c", Span.SpanKind.SPAN_KIND_SERVER, kv("credit_card", "4111"), kv("redact_trace", "false"))));

    assertThat(attrs(out, 0)).isEmpty();
    assertThat(attrs(out, 1)).containsKey("credit_card");
    assertThat(attrs(out, 2)).doesNotContainKey("credit_card");
  }

  @Test
  void aBatchNothingIsSelectedInIsHandedOnAsTheSameObject() throws Exception {
    Traces in = traces("billing", "lib", span("a", Span.SpanKind.SPAN_KIND_SERVER, kv("credit_card", "4111")));

    Traces out =
        process(
            "include:\n  match_type: strict\n  services: [auth-service]\n"
                + "actions:\n  - {key: credit_card, action: delete}\n",
            in);

    assertThat(out).isSameAs(in);
  }

  @Test
  void aBatchNoActionChangesIsHandedOnAsTheSameObject() throws Exception {
    Traces in = traces(span("a", Span.SpanKind.SPAN_KIND_SERVER, kv("x", "1")));

    assertThat(process("actions:\n  - {key: absent, value: v, action: update}\n", in)).isSameAs(in);
  }

  @Test
  void regexpMatchesAnywhereInServicesSpanNamesAndKinds() throws Exception {
    String yaml =
        """
        include:
          match_type: regexp
          services: ["auth.*"]
          span_kinds: ["SERVER|CLIENT"]
        exclude:
          match_type: regexp
          span_names: ["^login"]
        actions:
          - {key: tagged, value: yes, action: insert}
        """;
    Traces out =
        process(
            yaml,
            traces(
                "my-auth-service", "lib",
                span("logout", Span.SpanKind.SPAN_KIND_SERVER),
                span("login", Span.SpanKind.SPAN_KIND_SERVER),
                span("relogin", Span.SpanKind.SPAN_KIND_CLIENT),
                span("work", Span.SpanKind.SPAN_KIND_INTERNAL)));

    assertThat(attrs(out, 0)).containsKey("tagged");
    assertThat(attrs(out, 1)).isEmpty();
    assertThat(attrs(out, 2)).containsKey("tagged");
    assertThat(attrs(out, 3)).isEmpty();
  }

  @Test
  void librariesResourcesAndAttributesMustAllMatch() throws Exception {
    String yaml =
        """
        include:
          match_type: strict
          libraries: [{name: lib, version: "1.0"}, {name: other}]
          resources: [{key: service.name, value: svc}]
          attributes: [{key: http.method, value: GET}, {key: http.route}]
        actions:
          - {key: tagged, value: 1, action: insert}
        """;
    Traces out =
        process(
            yaml,
            traces(
                span("a", Span.SpanKind.SPAN_KIND_SERVER, kv("http.method", "GET"), kv("http.route", "/x")),
                span("b", Span.SpanKind.SPAN_KIND_SERVER, kv("http.method", "GET")),
                span("c", Span.SpanKind.SPAN_KIND_SERVER, kv("http.method", "POST"), kv("http.route", "/x"))));

    assertThat(attrs(out, 0)).containsEntry("tagged", 1L);
    assertThat(attrs(out, 1)).doesNotContainKey("tagged");
    assertThat(attrs(out, 2)).doesNotContainKey("tagged");

    gotTraces.clear();
    Traces wrongVersion = traces("svc", "lib2", span("a", Span.SpanKind.SPAN_KIND_SERVER, kv("http.method", "GET"), kv("http.route", "/x")));
    assertThat(process(yaml, wrongVersion)).isSameAs(wrongVersion);
  }

  @Test
  void regexpAttributeValuesMatchNumbersAsText() throws Exception {
    Traces out =
        process(
            """
            include:
              match_type: regexp
              attributes: [{key: http.status_code, value: "^5\\\\d\\\\d$"}]
            actions:
              - {key: error, value: true, action: upsert}
            """,
            traces(
                span("a", Span.SpanKind.SPAN_KIND_SERVER, kv("http.status_code", 503)),
                span("b", Span.SpanKind.SPAN_KIND_SERVER, kv("http.status_code", 200))));

    assertThat(attrs(out, 0)).containsEntry("error", true);
    assertThat(attrs(out, 1)).doesNotContainKey("error");
  }

  // --- logs and metrics

  @Test
  void logsAreSelectedByBodyAndSeverityText() throws Exception {
    AttributesProcessorConfig config =
        config(
            """
            include:
              match_type: regexp
              log_bodies: ["password"]
              log_severity_texts: ["WARN|ERROR"]
            actions:
              - {key: user.email, action: hash}
            """);
    Logs in =
        Logs.of(
            ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(
                    ResourceLogs.newBuilder()
                        .addScopeLogs(
                            ScopeLogs.newBuilder()
                                .addLogRecords(log("wrong password", "WARN"))
                                .addLogRecords(log("wrong password", "INFO"))
                                .addLogRecords(log("all good", "ERROR"))))
                .build());

    new AttributesProcessorFactory().createLogs(settings(), config, gotLogs::add).consumeLogs(in);

    List<LogRecord> records = gotLogs.get(0).request().getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    assertThat(plain(records.get(0).getAttributesList()))
        .containsEntry("user.email", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(plain(records.get(1).getAttributesList())).containsEntry("user.email", "hello");
    assertThat(plain(records.get(2).getAttributesList())).containsEntry("user.email", "hello");
  }

  private static LogRecord log(String body, String severity) {
    return LogRecord.newBuilder()
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .setSeverityText(severity)
        .addAttributes(kv("user.email", "hello"))
        .build();
  }

  @Test
  void metricsAreSelectedByNameAndTheirDataPointsByAttributes() throws Exception {
    AttributesProcessorConfig config =
        config(
            """
            include:
              match_type: strict
              metric_names: [http.server.duration]
              attributes: [{key: http.route}]
            actions:
              - {key: http.route, action: delete}
            """);
    Metrics in =
        Metrics.of(
            ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(
                    ResourceMetrics.newBuilder()
                        .addScopeMetrics(
                            ScopeMetrics.newBuilder()
                                .addMetrics(gauge("http.server.duration", kv("http.route", "/a"), kv("k", 1)))
                                .addMetrics(gauge("other", kv("http.route", "/a")))))
                .build());

    new AttributesProcessorFactory().createMetrics(settings(), config, gotMetrics::add).consumeMetrics(in);

    ScopeMetrics sm = gotMetrics.get(0).request().getResourceMetrics(0).getScopeMetrics(0);
    assertThat(plain(sm.getMetrics(0).getGauge().getDataPoints(0).getAttributesList()))
        .containsExactly(Map.entry("k", 1L));
    assertThat(plain(sm.getMetrics(0).getGauge().getDataPoints(1).getAttributesList())).isEmpty();
    assertThat(plain(sm.getMetrics(1).getGauge().getDataPoints(0).getAttributesList()))
        .containsExactly(Map.entry("http.route", "/a"));
  }

  /** A gauge with one point of {@code attrs} and one without attributes. */
  private static Metric gauge(String name, KeyValue... attrs) {
    return Metric.newBuilder()
        .setName(name)
        .setGauge(
            Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(1).addAllAttributes(List.of(attrs)))
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(2)))
        .build();
  }

  @Test
  void propertiesOfAnotherSignalAreRefusedWhenThePipelineIsBuilt() throws Exception {
    AttributesProcessorConfig config =
        config(
            "include:\n  match_type: strict\n  span_names: [a]\nactions:\n  - {key: k, action: delete}\n");

    assertThatThrownBy(() -> new AttributesProcessorFactory().createLogs(settings(), config, gotLogs::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("include: span_names should not be specified for log records");
    assertThat(new AttributesProcessorFactory().createTraces(settings(), config, gotTraces::add)).isNotNull();
  }
}
