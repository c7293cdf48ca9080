package dev.inflight.component;

public interface MetricsExporter extends Exporter, MetricsConsumer {}
