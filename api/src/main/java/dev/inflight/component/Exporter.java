package dev.inflight.component;

/** Sends data out of inflight. The consumer side is {@link TracesExporter} / {@link MetricsExporter}. */
public interface Exporter extends Component {}
