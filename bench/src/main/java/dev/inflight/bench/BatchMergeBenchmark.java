package dev.inflight.bench;

import dev.inflight.pdata.Traces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Arrays;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * What the {@code batch} processor's merge costs: {@code requests} encoded requests of {@code spans}
 * spans each made into one, by concatenating their bytes (what the processor does: {@code
 * resource_spans} is repeated, so concatenated requests are one request) against parsing each,
 * merging the messages and serializing the result (what a processor working on objects does).
 * Results are per merged request; divide by {@code requests × spans} for per span. {@code
 * dev.inflight.processor.batch.BatchProcessorBenchmark} runs the processor's own code on the same
 * requests.
 */
public class BatchMergeBenchmark extends BatchRequestsBenchmark {
  private byte[][] encoded;
  private int[] counts;

  @Setup
  public void setUp() {
    encoded = encodedRequests();
    counts = new int[requests];
    Arrays.fill(counts, spans);
  }

  /** Concatenation with the span counts summed: one allocation, one copy, no parse. */
  @Benchmark
  public Traces concatenateEncoded() {
    int length = 0;
    int total = 0;
    for (int i = 0; i < encoded.length; i++) {
      length += encoded[i].length;
      total += counts[i];
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] e : encoded) {
      System.arraycopy(e, 0, out, at, e.length);
      at += e.length;
    }
    return Traces.ofEncoded(out, total);
  }

  /** Parse every request, merge the messages, serialize the merged request. */
  @Benchmark
  public byte[] parseMergeSerialize() throws Exception {
    ExportTraceServiceRequest.Builder merged = ExportTraceServiceRequest.newBuilder();
    for (byte[] e : encoded) {
      merged.addAllResourceSpans(ExportTraceServiceRequest.parseFrom(e).getResourceSpansList());
    }
    return merged.build().toByteArray();
  }
}
