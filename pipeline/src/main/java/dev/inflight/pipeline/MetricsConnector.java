package dev.inflight.pipeline;

/** A connector whose input is metrics. */
public interface MetricsConnector extends Connector, MetricsConsumer {}
