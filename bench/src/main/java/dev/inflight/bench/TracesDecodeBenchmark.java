package dev.inflight.bench;

import dev.inflight.pdata.Traces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The floor of the hot path: parsing an encoded ExportTraceServiceRequest into objects, against
 * walking the same bytes to count spans without building anything (what {@link Traces} does for
 * the self-metrics counts). Results are per request; divide by {@code spans} for per span.
 */
public class TracesDecodeBenchmark extends OtlpBenchmark {
  @Param({"512"})
  public int spans;

  @Param({"20"})
  public int attributes;

  private byte[] encoded;

  @Setup
  public void setUp() {
    encoded = request(spans, attributes, new Random(42)).toByteArray();
  }

  @Benchmark
  public ExportTraceServiceRequest parseFrom() throws Exception {
    return ExportTraceServiceRequest.parseFrom(encoded);
  }

  @Benchmark
  public int streamingSpanCount() {
    return Traces.ofEncoded(encoded).spanCount();
  }
}
