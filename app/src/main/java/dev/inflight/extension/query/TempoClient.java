package dev.inflight.extension.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** PLACEHOLDER until the Tempo client lands (overwritten). */
final class TempoClient {
  private final URI base;

  TempoClient(URI baseUrl, Map<String, String> headers, Duration timeout) {
    this.base = baseUrl;
  }

  Optional<ExportTraceServiceRequest> fetch(String traceIdHex) throws TempoException {
    throw new TempoException("placeholder: " + base);
  }
}
