package dev.inflight.tools.loadgen;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;

/**
 * The floor the pipeline is measured against: CPU time per span of {@code
 * ExportTraceServiceRequest.parseFrom} on the very requests the load generator sends, on one
 * thread, after a warm-up, measured with the thread's CPU clock (not wall time, so a busy machine
 * slows it less).
 */
public final class ParseFloor {
  /** Read by nobody: written so the JIT cannot drop the parses as dead code. */
  static volatile long blackhole;

  private ParseFloor() {}

  /** CPU nanoseconds per span. */
  public static double nanosPerSpan(List<byte[]> requests, Duration warmup, Duration measure)
      throws InvalidProtocolBufferException {
    int spansPerPass = 0;
    for (byte[] r : requests) {
      spansPerPass += ExportTraceServiceRequest.parseFrom(r).getResourceSpansList().stream()
          .flatMap(rs -> rs.getScopeSpansList().stream()).mapToInt(s -> s.getSpansCount()).sum();
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    passes(requests, warmup.toNanos(), threads);
    long[] measured = passes(requests, measure.toNanos(), threads);
    return (double) measured[0] / ((double) measured[1] * spansPerPass);
  }

  /** Passes over all requests for about {@code nanos} of CPU: {CPU nanos, passes}. */
  private static long[] passes(List<byte[]> requests, long nanos, ThreadMXBean threads)
      throws InvalidProtocolBufferException {
    long start = threads.getCurrentThreadCpuTime();
    long passes = 0;
    long used;
    long resources = 0;
    do {
      for (byte[] r : requests) {
        resources += ExportTraceServiceRequest.parseFrom(r).getResourceSpansCount();
      }
      passes++;
      used = threads.getCurrentThreadCpuTime() - start;
    } while (used < nanos);
    blackhole = resources;
    return new long[] {used, passes};
  }
}
