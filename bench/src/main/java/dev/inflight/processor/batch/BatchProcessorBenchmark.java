package dev.inflight.processor.batch;

import dev.inflight.bench.BatchRequestsBenchmark;
import dev.inflight.bench.BatchMergeBenchmark;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.TracesProcessor;
import dev.inflight.service.config.TelemetryConfig;
import dev.inflight.pdata.Traces;
import dev.inflight.service.telemetry.SelfTelemetry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@code batch} processor's real merge and split on the same requests as {@link
 * BatchMergeBenchmark} ({@code requests} encoded requests of {@code spans} spans × {@code
 * attributes} string attributes, one resource each), whose {@code parseMergeSerialize} is the
 * object-based comparison. Every call adds the {@code requests} requests and takes everything out
 * again, so nothing is left held between calls except where said.
 *
 * <ul>
 *   <li>{@code heldMerge}: {@link HeldEncoded#add} of each request, then one {@code take} without a
 *       cap ({@code send_batch_max_size: 0}) and the merged request assembled: whole requests, so
 *       their bytes are concatenated into one array.
 *   <li>{@code heldCapped}: the same taken with a cap of {@code requests × spans / 3} ({@code
 *       send_batch_max_size} larger than a request): whole requests go into each merged request
 *       while they fit; a request that does not fit is walked into its resources, and a resource
 *       that fits a request of its own starts the next one, so nothing is cut between spans.
 *   <li>{@code heldSplit}: taken with a cap of {@code spans / 3} ({@code send_batch_max_size}
 *       smaller than a request): every request's resource is walked once into its layout (offsets
 *       of scopes and spans) and cut between spans into requests of exactly the cap, whose
 *       envelopes are written anew and spans copied as bytes (the last request is the rest).
 *   <li>{@code processorMerge}: the whole processor ({@link BatchProcessor#traces}, real
 *       self-telemetry, its timer thread) with {@code send_batch_size} = {@code requests × spans}
 *       and no max: {@code consumeTraces} of each request (as the receiver hands them on, with their
 *       span counts), the last of which sends the merged request to the next consumer on the
 *       caller's thread. Adds to {@code heldMerge} the lock, arming and cancelling the 200ms timer,
 *       and the send-size histogram.
 *   <li>{@code processorSplit}: the same processor with {@code send_batch_size} = {@code
 *       send_batch_max_size} = {@code spans / 3}: each request is cut into requests of the cap as it
 *       arrives and sent on the caller's thread, the rest of it held for the next (or for the
 *       timeout, should the benchmark pause 200ms).
 * </ul>
 *
 * Results are per {@code requests} requests (one merged batch); divide by {@code requests × spans}
 * for per span.
 */
public class BatchProcessorBenchmark extends BatchRequestsBenchmark {
  private Traces[] traces;
  private byte[][] encoded;
  private int cappedCap;
  private int splitCap;

  private SelfTelemetry telemetry;
  private TracesProcessor merging;
  private TracesProcessor splitting;
  /** Bytes the processors sent on, so that nothing they send is dead code. */
  private long sentBytes;

  @Setup
  public void setUp() throws Exception {
    encoded = encodedRequests();
    traces = new Traces[requests];
    for (int i = 0; i < requests; i++) {
      traces[i] = Traces.ofEncoded(encoded[i], spans);
    }
    cappedCap = Math.max(1, requests * spans / 3);
    splitCap = Math.max(1, spans / 3);
    if (splitCap >= spans) {
      throw new IllegalArgumentException("spans must be at least 2 for heldSplit to cut a request");
    }

    telemetry = SelfTelemetry.start(
        new TelemetryConfig(new TelemetryConfig.Metrics(TelemetryConfig.Level.NORMAL, "127.0.0.1:0"), null, Map.of()),
        "bench");
    merging = processor("batch/merge", new BatchProcessorConfig(Duration.ofMillis(200), requests * spans, 0));
    splitting = processor("batch/split", new BatchProcessorConfig(Duration.ofMillis(200), splitCap, splitCap));
  }

  private TracesProcessor processor(String id, BatchProcessorConfig config) {
    ComponentId componentId = ComponentId.parse(id);
    CreateSettings settings = new CreateSettings(
        componentId, ComponentKind.PROCESSOR, telemetry.forComponent(ComponentKind.PROCESSOR, componentId),
        new HashMap<>());
    return BatchProcessor.traces(settings, config, t -> sentBytes += t.encoded().length);
  }

  @TearDown
  public void tearDown() throws Exception {
    merging.shutdown();
    splitting.shutdown();
    telemetry.close();
  }

  @Benchmark
  public Traces heldMerge() {
    HeldEncoded<Traces> held = HeldEncoded.traces();
    for (Traces t : traces) {
      held.add(t, spans);
    }
    return held.take(0).data();
  }

  @Benchmark
  public void heldCapped(Blackhole bh) {
    drain(cappedCap, bh);
  }

  @Benchmark
  public void heldSplit(Blackhole bh) {
    drain(splitCap, bh);
  }

  private void drain(int cap, Blackhole bh) {
    HeldEncoded<Traces> held = HeldEncoded.traces();
    for (Traces t : traces) {
      held.add(t, spans);
    }
    while (held.items() > 0) {
      bh.consume(held.take(cap).data());
    }
  }

  @Benchmark
  public long processorMerge() throws Exception {
    for (int i = 0; i < requests; i++) {
      merging.consumeTraces(Traces.ofEncoded(encoded[i], spans));
    }
    return sentBytes;
  }

  @Benchmark
  public long processorSplit() throws Exception {
    for (int i = 0; i < requests; i++) {
      splitting.consumeTraces(Traces.ofEncoded(encoded[i], spans));
    }
    return sentBytes;
  }
}
