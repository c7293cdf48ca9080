package dev.inflight.component;

/** A connector whose input is metrics. */
public interface MetricsConnector extends Connector, MetricsConsumer {}
