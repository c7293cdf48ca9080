package dev.inflight.processor.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.LogsProcessor;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesProcessor;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.testing.TestData;
import dev.inflight.pdata.Traces;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.otlp.wire.OtlpWire;
import dev.inflight.processor.resource.ResourceProcessorConfig.Action;
import dev.inflight.processor.resource.ResourceProcessorConfig.AttributeAction;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceProcessorTest {
  private static final ComponentId ID = ComponentId.of("resource");

  private final List<Traces> gotTraces = new ArrayList<>();
  private final List<Metrics> gotMetrics = new ArrayList<>();

  // --- helpers

  private static KeyValue str(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static Resource resource(KeyValue... attributes) {
    return Resource.newBuilder().addAllAttributes(List.of(attributes)).build();
  }

  private static ResourceSpans resourceSpans(Resource resource, String... spanNames) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("io.example").setVersion("1.2.0"))
            .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0");
    int i = 0;
    for (String name : spanNames) {
      i++;
      scope.addSpans(
          Span.newBuilder()
              .setName(name)
              .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) i}))
              .setSpanId(ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, (byte) i}))
              .setStartTimeUnixNano(1_000_000_000L * i)
              .setEndTimeUnixNano(1_000_000_000L * i + 5)
              .addAttributes(str("http.route", "/cart/" + i))
              .addAttributes(kv("http.status_code", AnyValue.newBuilder().setIntValue(200).build())));
    }
    return ResourceSpans.newBuilder()
        .setResource(resource)
        .addScopeSpans(scope)
        .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
        .build();
  }

  private static Traces traces(ResourceSpans... resourceSpans) {
    return Traces.ofEncoded(
        ExportTraceServiceRequest.newBuilder().addAllResourceSpans(List.of(resourceSpans)).build().toByteArray());
  }

  private TracesProcessor tracesProcessor(AttributeAction... actions) {
    return new ResourceProcessorFactory()
        .createTraces(settings(), new ResourceProcessorConfig(List.of(actions)), gotTraces::add);
  }

  private MetricsProcessor metricsProcessor(AttributeAction... actions) {
    return new ResourceProcessorFactory()
        .createMetrics(settings(), new ResourceProcessorConfig(List.of(actions)), gotMetrics::add);
  }

  private static CreateSettings settings() {
    return new CreateSettings(
        ID, ComponentKind.PROCESSOR, ComponentTelemetry.noop(ComponentKind.PROCESSOR, ID), new HashMap<>());
  }

  private static AttributeAction action(String key, Object value, Action action) {
    return new AttributeAction(key, value, action, null);
  }

  private static AttributeAction from(String key, String fromAttribute, Action action) {
    return new AttributeAction(key, null, action, fromAttribute);
  }

  /** The resource attributes of the only ResourceSpans that came out. */
  private List<KeyValue> onlyResourceAttributes() {
    assertThat(gotTraces).hasSize(1);
    ExportTraceServiceRequest out = gotTraces.get(0).request();
    assertThat(out.getResourceSpansCount()).isEqualTo(1);
    return out.getResourceSpans(0).getResource().getAttributesList();
  }

  /** Every field of each per-resource message except its resource, as the raw bytes on the wire. */
  private static List<byte[]> everythingButResources(byte[] request) throws IOException {
    return everythingButResources(request, OtlpWire.TraceRequest.RESOURCE_SPANS, OtlpWire.ResourceSpans.RESOURCE);
  }

  private static List<byte[]> everythingButResources(byte[] request, int resourcesTag, int resourceTag)
      throws IOException {
    List<byte[]> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(request);
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag != resourcesTag) {
        in.skipField(tag);
        continue;
      }
      byte[] container = in.readByteArray();
      CodedInputStream c = CodedInputStream.newInstance(container);
      ByteArrayOutputStream rest = new ByteArrayOutputStream();
      while (true) {
        int at = c.getTotalBytesRead();
        int t = c.readTag();
        if (t == 0) {
          break;
        }
        c.skipField(t);
        if (t != resourceTag) {
          rest.write(container, at, c.getTotalBytesRead() - at);
        }
      }
      out.add(rest.toByteArray());
    }
    return out;
  }

  // --- actions

  @Test
  void upsertSetsAnAbsentAttributeAndReplacesAPresentOneInPlace() throws Exception {
    TracesProcessor p =
        tracesProcessor(
            action("machine.id", "machine-prod-01", Action.UPSERT),
            action("service.name", "renamed", Action.UPSERT));

    p.consumeTraces(traces(resourceSpans(resource(str("service.name", "api"), str("host", "h1")), "a")));

    assertThat(onlyResourceAttributes())
        .containsExactly(
            str("service.name", "renamed"), str("host", "h1"), str("machine.id", "machine-prod-01"));
  }

  @Test
  void insertSetsOnlyAnAbsentAttribute() throws Exception {
    TracesProcessor p =
        tracesProcessor(
            action("service.name", "other", Action.INSERT), action("region", "us-west1", Action.INSERT));

    p.consumeTraces(traces(resourceSpans(resource(str("service.name", "api")), "a")));

    assertThat(onlyResourceAttributes())
        .containsExactly(str("service.name", "api"), str("region", "us-west1"));
  }

  @Test
  void updateChangesOnlyAPresentAttribute() throws Exception {
    TracesProcessor p =
        tracesProcessor(
            action("service.name", "renamed", Action.UPDATE), action("region", "us-west1", Action.UPDATE));

    p.consumeTraces(traces(resourceSpans(resource(str("service.name", "api")), "a")));

    assertThat(onlyResourceAttributes()).containsExactly(str("service.name", "renamed"));
  }

  @Test
  void deleteRemovesTheAttributeEvenWhenRepeated() throws Exception {
    TracesProcessor p = tracesProcessor(action("secret", null, Action.DELETE));

    p.consumeTraces(
        traces(resourceSpans(resource(str("secret", "1"), str("keep", "k"), str("secret", "2")), "a")));

    assertThat(onlyResourceAttributes()).containsExactly(str("keep", "k"));
  }

  @Test
  void fromAttributeCopiesAnotherAttributeWithItsType() throws Exception {
    AnyValue port = AnyValue.newBuilder().setIntValue(8080).build();
    TracesProcessor p =
        tracesProcessor(
            from("service.port", "port", Action.UPSERT),
            from("host.alias", "host.name", Action.INSERT),
            from("absent.copy", "absent", Action.UPSERT));

    p.consumeTraces(traces(resourceSpans(resource(kv("port", port), str("host.name", "h1")), "a")));

    assertThat(onlyResourceAttributes())
        .containsExactly(
            kv("port", port), str("host.name", "h1"), kv("service.port", port), str("host.alias", "h1"));
  }

  @Test
  void actionsApplyInOrderAndSeeEachOther() throws Exception {
    TracesProcessor p =
        tracesProcessor(
            action("env", "staging", Action.INSERT),
            action("env", "production", Action.UPDATE),
            from("env.copy", "env", Action.UPSERT),
            action("env", null, Action.DELETE));

    p.consumeTraces(traces(resourceSpans(resource(), "a")));

    assertThat(onlyResourceAttributes()).containsExactly(str("env.copy", "production"));
  }

  @Test
  void valuesKeepTheirType() throws Exception {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("zone", "a");
    map.put("rack", 7);
    TracesProcessor p =
        tracesProcessor(
            action("s", "text", Action.UPSERT),
            action("i", 42, Action.UPSERT),
            action("l", 9_000_000_000L, Action.UPSERT),
            action("d", 0.25, Action.UPSERT),
            action("b", true, Action.UPSERT),
            action("list", List.of("x", 1, false), Action.UPSERT),
            action("map", map, Action.UPSERT));

    p.consumeTraces(traces(resourceSpans(resource(), "a")));

    assertThat(onlyResourceAttributes())
        .containsExactly(
            str("s", "text"),
            kv("i", AnyValue.newBuilder().setIntValue(42).build()),
            kv("l", AnyValue.newBuilder().setIntValue(9_000_000_000L).build()),
            kv("d", AnyValue.newBuilder().setDoubleValue(0.25).build()),
            kv("b", AnyValue.newBuilder().setBoolValue(true).build()),
            kv(
                "list",
                AnyValue.newBuilder()
                    .setArrayValue(
                        ArrayValue.newBuilder()
                            .addValues(AnyValue.newBuilder().setStringValue("x"))
                            .addValues(AnyValue.newBuilder().setIntValue(1))
                            .addValues(AnyValue.newBuilder().setBoolValue(false)))
                    .build()),
            kv(
                "map",
                AnyValue.newBuilder()
                    .setKvlistValue(
                        KeyValueList.newBuilder()
                            .addValues(str("zone", "a"))
                            .addValues(kv("rack", AnyValue.newBuilder().setIntValue(7).build())))
                    .build()));
  }

  @Test
  void otherResourceFieldsAreKept() throws Exception {
    TracesProcessor p = tracesProcessor(action("env", "prod", Action.UPSERT));
    Resource before = Resource.newBuilder().addAttributes(str("a", "b")).setDroppedAttributesCount(3).build();

    p.consumeTraces(traces(resourceSpans(before, "a")));

    Resource after = gotTraces.get(0).request().getResourceSpans(0).getResource();
    assertThat(after.getDroppedAttributesCount()).isEqualTo(3);
    assertThat(after.getAttributesList()).containsExactly(str("a", "b"), str("env", "prod"));
  }

  // --- the bytes

  @Test
  void spansScopesAndSchemaUrlAreCopiedByteForByte() throws Exception {
    TracesProcessor p = tracesProcessor(action("machine.id", "m1", Action.UPSERT));
    ResourceSpans first = resourceSpans(resource(str("service.name", "api")), "GET /cart", "SELECT", "charge");
    ResourceSpans second = resourceSpans(resource(str("service.name", "worker")), "process-job");
    // An unknown field (99) in the ResourceSpans must survive too.
    ResourceSpans withUnknown =
        first.toBuilder()
            .setUnknownFields(
                com.google.protobuf.UnknownFieldSet.newBuilder()
                    .addField(99, com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("future")).build())
                    .build())
            .build();
    Traces in = traces(withUnknown, second);

    p.consumeTraces(in);

    Traces out = gotTraces.get(0);
    List<byte[]> before = everythingButResources(in.encoded());
    List<byte[]> after = everythingButResources(out.encoded());
    assertThat(after).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(after.get(i)).isEqualTo(before.get(i));
    }
    assertThat(out.spanCount()).isEqualTo(4);
    assertThat(out.request().getResourceSpans(0).getScopeSpansList()).isEqualTo(first.getScopeSpansList());
    assertThat(out.request().getResourceSpans(0).getSchemaUrl()).isEqualTo(first.getSchemaUrl());
    assertThat(out.request().getResourceSpans(0).getUnknownFields().hasField(99)).isTrue();
    // And the whole thing is exactly what changing the parsed message would give.
    ExportTraceServiceRequest expected =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                withUnknown.toBuilder()
                    .setResource(resource(str("service.name", "api"), str("machine.id", "m1"))))
            .addResourceSpans(
                second.toBuilder()
                    .setResource(resource(str("service.name", "worker"), str("machine.id", "m1"))))
            .build();
    assertThat(out.request()).isEqualTo(expected);
  }

  @Test
  void everyResourceOfARequestChanges() throws Exception {
    TracesProcessor p = tracesProcessor(action("region", "us-west1", Action.UPSERT));
    Traces in =
        traces(
            resourceSpans(resource(str("service.name", "a")), "1"),
            resourceSpans(resource(str("service.name", "b"), str("region", "us-west1")), "2"),
            resourceSpans(resource(str("service.name", "c")), "3", "4"),
            resourceSpans(resource(str("service.name", "a")), "5"));

    p.consumeTraces(in);

    ExportTraceServiceRequest out = gotTraces.get(0).request();
    assertThat(out.getResourceSpansList())
        .extracting(rs -> rs.getResource().getAttributesList())
        .containsExactly(
            List.of(str("service.name", "a"), str("region", "us-west1")),
            List.of(str("service.name", "b"), str("region", "us-west1")),
            List.of(str("service.name", "c"), str("region", "us-west1")),
            List.of(str("service.name", "a"), str("region", "us-west1")));
    assertThat(out.getResourceSpansList())
        .extracting(rs -> rs.getScopeSpans(0).getSpansList().size())
        .containsExactly(1, 1, 2, 1);
    assertThat(gotTraces.get(0).spanCount()).isEqualTo(5);
  }

  @Test
  void aResourceSpansWithoutResourceGetsOne() throws Exception {
    TracesProcessor p = tracesProcessor(action("machine.id", "m1", Action.INSERT));
    ResourceSpans bare = resourceSpans(resource(), "a").toBuilder().clearResource().build();

    p.consumeTraces(traces(bare));

    assertThat(onlyResourceAttributes()).containsExactly(str("machine.id", "m1"));
  }

  @Test
  void anEmptyRequestIsHandedOnAsItIs() throws Exception {
    TracesProcessor p = tracesProcessor(action("machine.id", "m1", Action.UPSERT));
    Traces empty = Traces.ofEncoded(new byte[0]);

    p.consumeTraces(empty);

    assertThat(gotTraces).singleElement().isSameAs(empty);
  }

  @Test
  void aBatchNoActionChangesIsHandedOnAsTheSameObject() throws Exception {
    TracesProcessor p =
        tracesProcessor(
            action("absent", "x", Action.UPDATE),
            action("service.name", "other", Action.INSERT),
            action("gone", null, Action.DELETE),
            action("env", "prod", Action.UPSERT)); // already has this exact value
    Traces in = traces(resourceSpans(resource(str("service.name", "api"), str("env", "prod")), "a"));

    p.consumeTraces(in);
    p.consumeTraces(in); // the second time from the remembered resource

    assertThat(gotTraces).containsExactly(in, in);
  }

  @Test
  void theRememberedResourceIsOnlyUsedForTheSameBytes() throws Exception {
    TracesProcessor p = tracesProcessor(action("machine.id", "m1", Action.INSERT));

    for (String service : List.of("a", "b", "a", "a", "c")) {
      p.consumeTraces(traces(resourceSpans(resource(str("service.name", service)), "s")));
    }

    assertThat(gotTraces)
        .extracting(t -> t.request().getResourceSpans(0).getResource().getAttributesList())
        .containsExactly(
            List.of(str("service.name", "a"), str("machine.id", "m1")),
            List.of(str("service.name", "b"), str("machine.id", "m1")),
            List.of(str("service.name", "a"), str("machine.id", "m1")),
            List.of(str("service.name", "a"), str("machine.id", "m1")),
            List.of(str("service.name", "c"), str("machine.id", "m1")));
  }

  @Test
  void aResourceWrittenTwiceIsMergedAsProtobufDoes() throws Exception {
    TracesProcessor p = tracesProcessor(action("machine.id", "m1", Action.UPSERT));
    ResourceSpans spans = resourceSpans(resource(str("a", "1")), "x");
    ByteArrayOutputStream rs = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(rs);
    spans.writeTo(c); // resource {a}, scope_spans, schema_url
    c.writeMessage(1, resource(str("b", "2"))); // a second resource field: merged by parsers
    c.flush();
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    CodedOutputStream r = CodedOutputStream.newInstance(req);
    r.writeByteArray(1, rs.toByteArray());
    r.flush();

    p.consumeTraces(Traces.ofEncoded(req.toByteArray()));

    assertThat(onlyResourceAttributes()).containsExactly(str("a", "1"), str("b", "2"), str("machine.id", "m1"));
    assertThat(gotTraces.get(0).request().getResourceSpans(0).getScopeSpansList())
        .isEqualTo(spans.getScopeSpansList());
  }

  @Test
  void unknownTopLevelFieldsAreKept() throws Exception {
    TracesProcessor p = tracesProcessor(action("machine.id", "m1", Action.UPSERT));
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(req);
    c.writeString(7, "future field");
    c.writeMessage(1, resourceSpans(resource(), "a"));
    c.flush();

    p.consumeTraces(Traces.ofEncoded(req.toByteArray()));

    ExportTraceServiceRequest out = gotTraces.get(0).request();
    assertThat(out.getUnknownFields().hasField(7)).isTrue();
    assertThat(out.getResourceSpans(0).getResource().getAttributesList()).containsExactly(str("machine.id", "m1"));
  }

  @Test
  void malformedBytesAreRefusedPermanently() {
    TracesProcessor p = tracesProcessor(action("machine.id", "m1", Action.UPSERT));
    byte[] good = traces(resourceSpans(resource(str("a", "b")), "x")).encoded();
    byte[] truncated = Arrays.copyOf(good, good.length - 3);

    assertThatThrownBy(() -> p.consumeTraces(Traces.ofEncoded(truncated)))
        .isInstanceOf(Refusal.class)
        .hasMessageStartingWith("traces are not a valid ExportTraceServiceRequest")
        .satisfies(e -> assertThat(((Refusal) e).isRetryable()).isFalse());
    assertThat(gotTraces).isEmpty();
  }

  @Test
  void aRefusalFromDownstreamReachesTheSender() {
    Refusal full = Refusal.retryable("queue is full");
    TracesProcessor p =
        new ResourceProcessorFactory()
            .createTraces(
                settings(),
                new ResourceProcessorConfig(List.of(action("a", "b", Action.UPSERT))),
                t -> {
                  throw full;
                });

    assertThatThrownBy(() -> p.consumeTraces(traces(resourceSpans(resource(), "x")))).isSameAs(full);
  }

  // --- metrics

  private static ResourceMetrics resourceMetrics(Resource resource, String metric) {
    return ResourceMetrics.newBuilder()
        .setResource(resource)
        .addScopeMetrics(
            ScopeMetrics.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("inflight"))
                .addMetrics(
                    Metric.newBuilder()
                        .setName(metric)
                        .setUnit("{worker}")
                        .setGauge(
                            Gauge.newBuilder()
                                .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(3.5).setTimeUnixNano(7)))))
        .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
        .build();
  }

  @Test
  void metricsResourcesChangeTooAndTheirDataIsKept() throws Exception {
    MetricsProcessor p =
        metricsProcessor(
            action("deployment.environment", "production", Action.UPSERT),
            action("secret", null, Action.DELETE));
    ResourceMetrics a = resourceMetrics(resource(str("service.name", "api"), str("secret", "s")), "workers.active");
    ResourceMetrics b = resourceMetrics(resource(), "workers.active.max");
    Metrics in = Metrics.of(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(a).addResourceMetrics(b).build());

    p.consumeMetrics(in);

    ExportMetricsServiceRequest out = gotMetrics.get(0).request();
    assertThat(out)
        .isEqualTo(
            ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(
                    a.toBuilder()
                        .setResource(
                            resource(str("service.name", "api"), str("deployment.environment", "production"))))
                .addResourceMetrics(
                    b.toBuilder().setResource(resource(str("deployment.environment", "production"))))
                .build());
    assertThat(gotMetrics.get(0).dataPointCount()).isEqualTo(2);
  }

  @Test
  void metricsNoActionChangesAreHandedOnAsTheSameObject() throws Exception {
    MetricsProcessor p = metricsProcessor(action("absent", "x", Action.UPDATE));
    Metrics in = Metrics.ofEncoded(
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(resourceMetrics(resource(str("service.name", "api")), "m"))
            .build()
            .toByteArray());

    p.consumeMetrics(in);

    assertThat(gotMetrics).singleElement().isSameAs(in);
  }

  @Test
  void malformedMetricsAreRefusedPermanently() {
    MetricsProcessor p = metricsProcessor(action("a", "b", Action.UPSERT));

    assertThatThrownBy(() -> p.consumeMetrics(Metrics.ofEncoded(new byte[] {0x0A, 0x05, 0x01})))
        .isInstanceOf(Refusal.class)
        .hasMessageStartingWith("metrics are not a valid ExportMetricsServiceRequest")
        .satisfies(e -> assertThat(((Refusal) e).isRetryable()).isFalse());
  }

  // --- logs

  private final List<Logs> gotLogs = new ArrayList<>();

  private LogsProcessor logsProcessor(AttributeAction... actions) {
    return new ResourceProcessorFactory()
        .createLogs(settings(), new ResourceProcessorConfig(List.of(actions)), gotLogs::add);
  }

  @Test
  void everyResourceOfALogsRequestChangesAndItsScopesAndRecordsAreKept() throws Exception {
    LogsProcessor p =
        logsProcessor(
            action("deployment.environment", "production", Action.UPSERT),
            action("service.namespace", "jobs", Action.INSERT),
            action("host.name", null, Action.DELETE),
            from("service.instance.id", "service.name", Action.INSERT));
    ExportLogsServiceRequest request = TestData.logsRequest(new int[][] {{3, 2}, {}, {4}});
    Logs in = Logs.ofEncoded(request.toByteArray());

    p.consumeLogs(in);

    assertThat(gotLogs).hasSize(1);
    Logs out = gotLogs.get(0);
    assertThat(out).isNotSameAs(in);
    assertThat(out.logRecordCount()).isEqualTo(9);
    ExportLogsServiceRequest.Builder expected = request.toBuilder();
    for (int r = 0; r < request.getResourceLogsCount(); r++) {
      expected
          .getResourceLogsBuilder(r)
          .setResource(
              resource(
                  str("service.name", "svc-" + r),
                  str("deployment.environment", "production"),
                  str("service.namespace", "jobs"),
                  str("service.instance.id", "svc-" + r)));
    }
    // Parsed from the bytes that came out: every field of every scope and record as it went in.
    assertThat(ExportLogsServiceRequest.parseFrom(out.encoded())).isEqualTo(expected.build());
  }

  @Test
  void logsScopesRecordsAndSchemaUrlAreCopiedByteForByte() throws Exception {
    LogsProcessor p = logsProcessor(action("machine.id", "m1", Action.UPSERT));
    ExportLogsServiceRequest request = TestData.logsRequest(new int[][] {{2, 1}, {5}});
    Logs in = Logs.ofEncoded(request.toByteArray());

    p.consumeLogs(in);

    int resourceLogs = OtlpWire.LogsRequest.RESOURCE_LOGS;
    int resource = OtlpWire.ResourceLogs.RESOURCE;
    List<byte[]> before = everythingButResources(in.encoded(), resourceLogs, resource);
    List<byte[]> after = everythingButResources(gotLogs.get(0).encoded(), resourceLogs, resource);
    assertThat(after).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(after.get(i)).isEqualTo(before.get(i)).isNotEmpty();
    }
  }

  @Test
  void logsNoActionChangesAreHandedOnAsTheSameObject() throws Exception {
    LogsProcessor p =
        logsProcessor(action("absent", "x", Action.UPDATE), action("service.name", "y", Action.INSERT));
    Logs in = Logs.ofEncoded(TestData.logsRequest(new int[][] {{2}}).toByteArray());

    p.consumeLogs(in);
    p.consumeLogs(in); // the second time from the remembered resource

    assertThat(gotLogs).containsExactly(in, in);
  }

  @Test
  void aResourceLogsWithoutResourceGetsOne() throws Exception {
    LogsProcessor p = logsProcessor(action("machine.id", "m1", Action.INSERT));
    ExportLogsServiceRequest bare =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                TestData.logsRequest(new int[][] {{1}}).getResourceLogs(0).toBuilder().clearResource())
            .build();

    p.consumeLogs(Logs.of(bare));

    assertThat(TestData.resourceAttribute(gotLogs.get(0), "machine.id")).contains("m1");
    assertThat(gotLogs.get(0).request().getResourceLogs(0).getScopeLogsList())
        .isEqualTo(bare.getResourceLogs(0).getScopeLogsList());
  }

  @Test
  void malformedLogsAreRefusedPermanentlyAndDownstreamRefusalsReachTheSender() {
    LogsProcessor p = logsProcessor(action("a", "b", Action.UPSERT));
    assertThatThrownBy(() -> p.consumeLogs(Logs.ofEncoded(new byte[] {0x0A, 0x05, 0x01})))
        .isInstanceOf(Refusal.class)
        .hasMessageStartingWith("logs are not a valid ExportLogsServiceRequest")
        .satisfies(e -> assertThat(((Refusal) e).isRetryable()).isFalse());

    Refusal full = Refusal.retryable("queue is full");
    LogsProcessor refused =
        new ResourceProcessorFactory()
            .createLogs(
                settings(),
                new ResourceProcessorConfig(List.of(action("a", "b", Action.UPSERT))),
                l -> {
                  throw full;
                });
    assertThatThrownBy(() -> refused.consumeLogs(TestData.logs(1))).isSameAs(full);
  }

  // --- the factory

  @Test
  void factorySupportsTracesMetricsAndLogs() {
    ResourceProcessorFactory factory = new ResourceProcessorFactory();
    assertThat(factory.type()).isEqualTo("resource");
    assertThat(factory.kind()).isEqualTo(ComponentKind.PROCESSOR);
    assertThat(factory.signals()).containsExactlyInAnyOrder(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.PROCESSOR, "resource"))
        .get()
        .isInstanceOf(ResourceProcessorFactory.class);
  }

  @Test
  void anInvalidConfigIsRefusedWhenMakingTheProcessor() {
    assertThatThrownBy(
            () ->
                new ResourceProcessorFactory()
                    .createTraces(
                        settings(),
                        new ResourceProcessorConfig(List.of(action("k", null, Action.UPSERT))),
                        t -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
