package dev.inflight.otlp.json;

import dev.inflight.bench.OtlpBenchmark;
import dev.inflight.bench.TracesDecodeBenchmark;
import dev.inflight.otlp.wire.InvalidRequestException;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * OTLP/JSON both ways on one request of {@code spans} spans of {@code attributes} attributes (the
 * request {@link TracesDecodeBenchmark} parses): {@link OtlpJson#print} (the file exporter's {@code
 * format: json}, {@code inflight convert}, the load generator's JSON templates), {@link
 * OtlpJson#traces} (the receiver: the streaming transcoder takes valid input), and the tree path
 * alone ({@code tracesSlow}, what the transcoder leaves to it), against {@code parseFrom} of the
 * protobuf bytes. Results are per request; divide by {@code spans} for per span.
 *
 * <p>{@link #main} measures the same four calls in CPU time rather than JMH's wall time, for a
 * shared host where other processes take the cores: {@code java -cp bench/target/benchmarks.jar
 * dev.inflight.otlp.json.OtlpJsonBenchmark}.
 */
public class OtlpJsonBenchmark extends OtlpBenchmark {
  @Param({"512"})
  public int spans;

  @Param({"20"})
  public int attributes;

  private ExportTraceServiceRequest request;
  private byte[] encoded;
  private byte[] json;

  @Setup
  public void setUp() {
    request = request(spans, attributes, new Random(42));
    encoded = request.toByteArray();
    json = OtlpJson.print(request).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public ExportTraceServiceRequest parseFrom() throws InvalidProtocolBufferException {
    return ExportTraceServiceRequest.parseFrom(encoded);
  }

  @Benchmark
  public String print() {
    return OtlpJson.print(request);
  }

  @Benchmark
  public byte[] parse() throws InvalidRequestException {
    return OtlpJson.traces(json);
  }

  @Benchmark
  public byte[] parseTreePath() throws InvalidRequestException {
    return OtlpJson.tracesSlow(json);
  }

  /** Each benchmark's median thread CPU time over 60 calls after 150 warm-up calls, on one thread. */
  public static void main(String[] args) throws Exception {
    OtlpJsonBenchmark b = new OtlpJsonBenchmark();
    b.spans = 512;
    b.attributes = 20;
    b.setUp();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Map<String, Callable<?>> calls = new LinkedHashMap<>();
    calls.put("parseFrom", b::parseFrom);
    calls.put("print", b::print);
    calls.put("parse", b::parse);
    calls.put("parseTreePath", b::parseTreePath);
    for (Map.Entry<String, Callable<?>> call : calls.entrySet()) {
      long[] ns = new long[60];
      for (int i = -150; i < ns.length; i++) {
        long start = cpu.getCurrentThreadCpuTime();
        call.getValue().call();
        if (i >= 0) {
          ns[i] = cpu.getCurrentThreadCpuTime() - start;
        }
      }
      Arrays.sort(ns);
      System.out.printf("%-14s %8.0f us CPU per request, %6.2f us per span (quartiles %.0f-%.0f us)%n",
          call.getKey(), ns[30] / 1e3, ns[30] / 1e3 / b.spans, ns[15] / 1e3, ns[45] / 1e3);
    }
  }
}
