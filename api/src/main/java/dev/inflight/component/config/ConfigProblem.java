package dev.inflight.component.config;

/**
 * One thing wrong with a config, at a dotted YAML path such as {@code exporters.otlp.endpoint} or
 * {@code service.pipelines.traces.receivers[0]}. The loader adds file and line.
 */
public record ConfigProblem(String path, String message) {}
