package dev.inflight.tools.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one load run did.
 *
 * @param offeredRate spans per second asked for; 0 for as fast as the server takes them
 * @param seconds how long it sent, from the first send to the last answer
 * @param spans spans the server took (answered OK, less any it rejected in a partial success)
 * @param requests requests answered OK
 * @param rejectedSpans spans a partial success said were rejected
 * @param errors per error ({@code grpc UNAVAILABLE}, {@code http 503}, ...): failed requests
 * @param errorSpans per error: the spans in those requests
 * @param latency export-call latency of every request sent (answered or not), in nanoseconds
 */
public record LoadReport(
    Protocol protocol,
    double offeredRate,
    double seconds,
    long spans,
    long requests,
    long rejectedSpans,
    Map<String, Long> errors,
    Map<String, Long> errorSpans,
    Histogram latency) {

  public double achievedRate() {
    return seconds > 0 ? spans / seconds : 0;
  }

  public long failedRequests() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  public long failedSpans() {
    return errorSpans.values().stream().mapToLong(Long::longValue).sum() + rejectedSpans;
  }

  /** Latency at a percentile (0–100) in milliseconds; 0 when nothing was sent. */
  public double latencyMs(double percentile) {
    return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1e6;
  }

  public double maxLatencyMs() {
    return latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1e6;
  }

  /** The report people read. */
  public String text() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "offered   %s%n",
        offeredRate > 0 ? String.format(Locale.ROOT, "%,.0f spans/s", offeredRate) : "as fast as accepted"));
    b.append(String.format(Locale.ROOT, "achieved  %,.0f spans/s (%,d spans in %,d requests, %.2fs)%n",
        achievedRate(), spans, requests, seconds));
    if (errors.isEmpty() && rejectedSpans == 0) {
      b.append("errors    none\n");
    } else {
      b.append("errors   ");
      new TreeMap<>(errors).forEach((error, n) -> b.append(String.format(Locale.ROOT, " %s: %,d requests (%,d spans);",
          error, n, errorSpans.getOrDefault(error, 0L))));
      if (rejectedSpans > 0) {
        b.append(String.format(Locale.ROOT, " partial success: %,d spans rejected;", rejectedSpans));
      }
      b.setLength(b.length() - 1);
      b.append('\n');
    }
    b.append(String.format(Locale.ROOT, "latency   p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n",
        latencyMs(50), latencyMs(90), latencyMs(99), maxLatencyMs()));
    return b.toString();
  }

  /** The report for scripts. */
  public ObjectNode json(ObjectMapper mapper) {
    ObjectNode o = mapper.createObjectNode();
    o.put("protocol", protocol.toString());
    o.put("offered_spans_per_second", offeredRate);
    o.put("achieved_spans_per_second", Math.round(achievedRate() * 10) / 10.0);
    o.put("seconds", seconds);
    o.put("spans", spans);
    o.put("requests", requests);
    o.put("rejected_spans", rejectedSpans);
    ObjectNode e = o.putObject("errors");
    new TreeMap<>(errors).forEach((error, n) -> e.putObject(error).put("requests", n)
        .put("spans", errorSpans.getOrDefault(error, 0L)));
    ObjectNode l = o.putObject("latency_ms");
    l.put("p50", latencyMs(50));
    l.put("p90", latencyMs(90));
    l.put("p99", latencyMs(99));
    l.put("max", maxLatencyMs());
    return o;
  }
}
