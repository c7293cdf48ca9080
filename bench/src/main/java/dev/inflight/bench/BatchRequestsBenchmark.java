package dev.inflight.bench;

import java.util.Random;
import org.openjdk.jmh.annotations.Param;

/**
 * The requests the {@code batch} benchmarks merge: {@code requests} encoded requests of {@code
 * spans} spans × {@code attributes} string attributes, one resource each, the same bytes in every
 * benchmark that extends this.
 */
public abstract class BatchRequestsBenchmark extends OtlpBenchmark {
  @Param({"8"})
  public int requests;

  @Param({"128"})
  public int spans;

  @Param({"20"})
  public int attributes;

  /** The {@code requests} requests, encoded, drawn from one seeded random. */
  protected byte[][] encodedRequests() {
    Random random = new Random(42);
    byte[][] encoded = new byte[requests][];
    for (int i = 0; i < requests; i++) {
      encoded[i] = request(spans, attributes, random).toByteArray();
    }
    return encoded;
  }
}
