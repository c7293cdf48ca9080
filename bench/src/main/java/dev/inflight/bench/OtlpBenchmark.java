package dev.inflight.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every benchmark here shares: one JMH setting for all (average time in µs, 3 warm-up and 5
 * measured iterations of 2 s, one fork; JMH's class annotations are inherited, so a subclass that
 * needs another setting annotates itself) and the OTLP trace requests they run on.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public abstract class OtlpBenchmark {
  /** A realistic request: one resource, one scope, spans with string attributes. */
  public static ExportTraceServiceRequest request(int spans, int attributes, Random random) {
    return request(spans, attributes, random,
        i -> i % 3 == 0 ? "account worker" : i % 3 == 1 ? "storage write" : "GET /api/v1/jobs");
  }

  /** The same, with span {@code i} named {@code names.apply(i)}. */
  public static ExportTraceServiceRequest request(int spans, int attributes, Random random, IntFunction<String> names) {
    return request(spans, attributes, 1, random, names);
  }

  /**
   * The same, with the spans split into {@code groups} resources of distinct {@code service.name}
   * ({@code bench}, {@code bench-1}, {@code bench-2}, ...), each with one scope: span {@code i} goes
   * to resource {@code i * groups / spans}, so every resource holds a contiguous run of spans and all
   * names in the same proportions. Spans are drawn in the same order whatever {@code groups}, so
   * {@code groups = 1} is byte for byte the one-resource request above.
   */
  public static ExportTraceServiceRequest request(
      int spans, int attributes, int groups, Random random, IntFunction<String> names) {
    if (groups < 1 || groups > spans) {
      throw new IllegalArgumentException("groups must be in [1, spans], got " + groups);
    }
    ScopeSpans.Builder[] scopes = new ScopeSpans.Builder[groups];
    for (int g = 0; g < groups; g++) {
      scopes[g] = ScopeSpans.newBuilder();
    }
    long start = 1_700_000_000_000_000_000L;
    for (int i = 0; i < spans; i++) {
      Span.Builder span = Span.newBuilder()
          .setTraceId(ByteString.copyFrom(bytes(random, 16)))
          .setSpanId(ByteString.copyFrom(bytes(random, 8)))
          .setParentSpanId(ByteString.copyFrom(bytes(random, 8)))
          .setName(names.apply(i))
          .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
          .setStartTimeUnixNano(start + i * 1_000_000L)
          .setEndTimeUnixNano(start + i * 1_000_000L + random.nextInt(50_000_000));
      for (int a = 0; a < attributes; a++) {
        span.addAttributes(KeyValue.newBuilder().setKey("attribute.key." + a)
            .setValue(AnyValue.newBuilder().setStringValue("value-" + random.nextInt(1000))));
      }
      scopes[(int) ((long) i * groups / spans)].addSpans(span);
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (int g = 0; g < groups; g++) {
      request.addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
              .setValue(AnyValue.newBuilder().setStringValue(g == 0 ? "bench" : "bench-" + g))))
          .addScopeSpans(scopes[g]));
    }
    return request.build();
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
