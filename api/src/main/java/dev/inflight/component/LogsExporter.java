package dev.inflight.component;

public interface LogsExporter extends Exporter, LogsConsumer {}
