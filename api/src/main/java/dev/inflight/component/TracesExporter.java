package dev.inflight.component;

public interface TracesExporter extends Exporter, TracesConsumer {}
