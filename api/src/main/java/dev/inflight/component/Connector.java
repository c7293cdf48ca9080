package dev.inflight.component;

/**
 * The exporter of one pipeline and the receiver of another. One instance exists per (signal in,
 * signal out) pair it is used for; its input side is {@link TracesConnector} / {@link
 * MetricsConnector}.
 */
public interface Connector extends Component {}
