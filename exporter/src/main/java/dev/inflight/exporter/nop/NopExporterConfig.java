package dev.inflight.exporter.nop;

import dev.inflight.component.config.ComponentConfig;

/** {@code exporters: nop:} takes no settings. */
public record NopExporterConfig() implements ComponentConfig {}
