package dev.inflight.pipeline;

public interface MetricsExporter extends Exporter, MetricsConsumer {}
