package dev.inflight.tests;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.LogLimits;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of log records built by the OpenTelemetry Java SDK's logs API, as an application's
 * log appender emits them: a body of every kind the API can carry (string, bool, long, double,
 * bytes, array, map, empty, none: the last two are the same in OTLP), every severity range with and without text, attributes of every
 * type (arrays and nested {@link Value}s included), explicit times and observed times, trace context
 * from sampled and unsampled span contexts, event names, an exception, dropped attributes, two
 * resources (two logger providers) and three scopes.
 */
final class SdkLogs {
  private SdkLogs() {}

  static final long T0 = 1_700_000_000_000_000_000L;
  static final int COUNT = 12;

  /**
   * The records as the SDK holds them. Observed times start at {@code T0 + tag * 1s}, so the
   * records of two runs with different tags never share one (they are the records' key).
   */
  static List<LogRecordData> fixedLogs(int tag) {
    CollectingLogRecordExporter collect = new CollectingLogRecordExporter();
    long base = T0 + tag * 1_000_000_000L;
    Resource checkout = Resource.getDefault().merge(Resource.builder()
        .put("service.name", "sdk-logs-it")
        .put("service.version", "1.2.3")
        .put("host.cores", 8L)
        .put(AttributeKey.stringArrayKey("deployment.tags"), List.of("blue", "canary"))
        .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
        .build());
    Resource worker = Resource.empty().merge(Resource.builder().put("service.name", "sdk-logs-it-worker").build());
    try (SdkLoggerProvider provider = SdkLoggerProvider.builder().setResource(checkout)
            .setLogLimits(() -> LogLimits.builder().setMaxNumberOfAttributes(32).build())
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(collect)).build();
        SdkLoggerProvider workerProvider = SdkLoggerProvider.builder().setResource(worker)
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(collect)).build()) {
      Logger app = provider.loggerBuilder("dev.inflight.tests.java.logs").setInstrumentationVersion("0.9.0")
          .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0").build();
      Logger audit = provider.get("dev.inflight.tests.java.logs.audit");
      Logger jobs = workerProvider.loggerBuilder("dev.inflight.tests.java.jobs").setInstrumentationVersion("2.0").build();

      SpanContext sampled = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
          TraceFlags.getSampled(), TraceState.builder().put("congo", "t61rcWkgMzE").build());
      SpanContext unsampled = SpanContext.create("abcdef0123456789abcdef0123456789", "fedcba9876543210",
          TraceFlags.getDefault(), TraceState.getDefault());

      // 1. A string body (escapes, unicode) with attributes of every type, in a sampled span's context.
      app.logRecordBuilder()
          .setTimestamp(base + 123, TimeUnit.NANOSECONDS).setObservedTimestamp(base + 1, TimeUnit.NANOSECONDS)
          .setSeverity(Severity.INFO).setSeverityText("INFO")
          .setBody("checkout done: héllo \"quoted\" \\ back\nslash 日本 🚀 \u0001")
          .setContext(Context.root().with(Span.wrap(sampled)))
          .setAttribute("http.request.method", "GET")
          .setAttribute("http.response.status_code", 502L)
          .setAttribute("retry", false)
          .setAttribute("ratio", 0.25)
          .setAttribute("big", Long.MAX_VALUE)
          .setAttribute("min", Long.MIN_VALUE)
          .setAttribute("whole double", 3.0)
          .setAttribute("empty", "")
          .setAttribute(AttributeKey.stringArrayKey("strings"), List.of("a", "b", ""))
          .setAttribute(AttributeKey.longArrayKey("longs"), List.of(1L, -2L, 3L))
          .setAttribute(AttributeKey.doubleArrayKey("doubles"), List.of(1.5, -0.5))
          .setAttribute(AttributeKey.booleanArrayKey("bools"), List.of(true, false))
          .emit();
      // 2. A bool body, severity number without text.
      app.logRecordBuilder().setTimestamp(base + 2_000, TimeUnit.NANOSECONDS)
          .setObservedTimestamp(base + 2, TimeUnit.NANOSECONDS).setSeverity(Severity.WARN2).setBody(Value.of(true)).emit();
      // 3. A long body, in an unsampled span's context (flags 0, ids kept).
      app.logRecordBuilder().setTimestamp(base + 3_000, TimeUnit.NANOSECONDS)
          .setObservedTimestamp(base + 3, TimeUnit.NANOSECONDS).setSeverity(Severity.ERROR).setSeverityText("error")
          .setBody(Value.of(Long.MIN_VALUE)).setContext(Context.root().with(Span.wrap(unsampled))).emit();
      // 4. A double body.
      app.logRecordBuilder().setTimestamp(base + 4_000, TimeUnit.NANOSECONDS)
          .setObservedTimestamp(base + 4, TimeUnit.NANOSECONDS).setSeverity(Severity.FATAL4).setSeverityText("CRIT")
          .setBody(Value.of(-1.5e-7)).emit();
      // 5. A bytes body, every byte value a protobuf or JSON codec might mangle.
      app.logRecordBuilder().setTimestamp(base + 5_000, TimeUnit.NANOSECONDS)
          .setObservedTimestamp(base + 5, TimeUnit.NANOSECONDS).setSeverity(Severity.DEBUG3)
          .setBody(Value.of(new byte[] {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff, '"', '\\', '\n'})).emit();
      // 6. An array body of mixed values, nested.
      app.logRecordBuilder().setTimestamp(base + 6_000, TimeUnit.NANOSECONDS)
          .setObservedTimestamp(base + 6, TimeUnit.NANOSECONDS).setSeverity(Severity.TRACE)
          .setBody(Value.of(Value.of("one"), Value.of(2L), Value.of(3.5), Value.of(false),
              Value.of(Value.of("nested"), Value.empty()), Value.of(KeyValue.of("k", Value.of("v"))),
              Value.of(new byte[] {9})))
          .emit();
      // 7. A map body, nested (a structured log line).
      Map<String, Value<?>> order = new LinkedHashMap<>();
      order.put("id", Value.of("o-42"));
      order.put("items", Value.of(Value.of(1L), Value.of(2L)));
      order.put("paid", Value.of(true));
      order.put("payload", Value.of(new byte[] {(byte) 0xca, (byte) 0xfe}));
      order.put("customer", Value.of(KeyValue.of("name", Value.of("Zoë")), KeyValue.of("tier", Value.of(3L))));
      order.put("nothing", Value.empty());
      audit.logRecordBuilder().setTimestamp(base + 7_000, TimeUnit.NANOSECONDS)
          .setObservedTimestamp(base + 7, TimeUnit.NANOSECONDS).setSeverity(Severity.INFO4).setSeverityText("audit")
          .setBody(Value.of(order)).setAttribute("audit.kind", "order").emit();
      // 8. An empty body, no severity at all.
      audit.logRecordBuilder().setTimestamp(base + 8_000, TimeUnit.NANOSECONDS)
          .setObservedTimestamp(base + 8, TimeUnit.NANOSECONDS).setBody(Value.empty()).emit();
      // 9. No body and no time (only the observed time): an event, with attributes that are Values.
      app.logRecordBuilder().setObservedTimestamp(base + 9, TimeUnit.NANOSECONDS).setSeverity(Severity.INFO)
          .setEventName("checkout.completed")
          .setAttribute("cart", Value.of(KeyValue.of("items", Value.of(3L)), KeyValue.of("coupon", Value.empty())))
          .setAttribute("digest", Value.of(new byte[] {1, 2, 3}))
          .setAttribute("mixed", Value.of(Value.of("a"), Value.of(1L)))
          .setContext(Context.root().with(Span.wrap(sampled)))
          .emit();
      // 10. An exception, and more attributes than the limit: dropped attributes.
      var overflow = app.logRecordBuilder().setTimestamp(base + 10_000, TimeUnit.NANOSECONDS)
          .setObservedTimestamp(base + 10, TimeUnit.NANOSECONDS).setSeverity(Severity.ERROR3).setSeverityText("ERROR")
          .setBody("payment failed").setException(new IllegalStateException("card \"4242\" declined 💳"));
      for (int i = 0; i < 40; i++) {
        overflow.setAttribute(String.format("extra.%02d", i), (long) i);
      }
      overflow.emit();
      // 11 and 12. The second resource's logger: a plain line, and one at a fatal severity in a trace.
      jobs.logRecordBuilder().setTimestamp(base + 11_000, TimeUnit.NANOSECONDS)
          .setObservedTimestamp(base + 11, TimeUnit.NANOSECONDS).setSeverity(Severity.DEBUG).setBody("job claimed")
          .setAttribute("job.id", "j-1").emit();
      jobs.logRecordBuilder().setTimestamp(base + 12_000, TimeUnit.NANOSECONDS)
          .setObservedTimestamp(base + 12, TimeUnit.NANOSECONDS).setSeverity(Severity.FATAL).setSeverityText("FATAL")
          .setBody("worker died").setContext(Context.root().with(Span.wrap(sampled))).emit();
    }
    return new ArrayList<>(collect.emitted());
  }
}
