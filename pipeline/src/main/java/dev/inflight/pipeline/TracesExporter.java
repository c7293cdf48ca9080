package dev.inflight.pipeline;

public interface TracesExporter extends Exporter, TracesConsumer {}
