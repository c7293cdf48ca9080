package dev.inflight.tools.loadgen;

import java.util.List;

/**
 * What the generated traces look like. Each trace is a request as a service sees it: a server
 * root span ({@code POST /api/...}, matching no worker type), one to four worker spans inside it
 * (named from {@code workerNames}, so a concurrency connector configured for them counts them),
 * each with a client child ({@code SELECT ...}, matching nothing) inside it. So about 40% of the
 * spans belong to a worker type, as in a service where the pools are a part of the work.
 *
 * @param spansPerRequest spans in one export request (the SDK's batch size)
 * @param attributes attributes on every span, of mixed types, as instrumentation sets them
 * @param workerNames span names of worker spans, cycled through
 * @param services distinct {@code service.name} resources, one per request, cycled through
 */
public record TraceShape(int spansPerRequest, int attributes, List<String> workerNames, int services) {
  /** The default config's worker types: {@code account worker*}, {@code storage write*}, {@code queue wait*}. */
  public static final List<String> DEFAULT_WORKER_NAMES =
      List.of("account worker", "storage write", "queue wait");

  public TraceShape {
    if (spansPerRequest < 1 || spansPerRequest > 100_000) {
      throw new IllegalArgumentException("spans per request must be 1 to 100000, got " + spansPerRequest);
    }
    if (attributes < 0 || attributes > 1000) {
      throw new IllegalArgumentException("attributes per span must be 0 to 1000, got " + attributes);
    }
    if (workerNames.isEmpty() || workerNames.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("worker span names must be one or more non-empty names");
    }
    if (services < 1 || services > 10_000) {
      throw new IllegalArgumentException("services must be 1 to 10000, got " + services);
    }
    workerNames = List.copyOf(workerNames);
  }

  public static TraceShape defaults() {
    return new TraceShape(512, 20, DEFAULT_WORKER_NAMES, 3);
  }
}
