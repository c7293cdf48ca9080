package dev.inflight.service.config;

import java.util.List;

/** One entry of {@code service.pipelines}: component ids, in order. */
public record PipelineConfig(List<String> receivers, List<String> processors, List<String> exporters) {
  public PipelineConfig {
    receivers = receivers == null ? List.of() : List.copyOf(receivers);
    processors = processors == null ? List.of() : List.copyOf(processors);
    exporters = exporters == null ? List.of() : List.copyOf(exporters);
  }
}
