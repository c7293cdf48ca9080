package dev.inflight.pipeline;

/** A connector whose input is traces (its output signal was chosen at creation). */
public interface TracesConnector extends Connector, TracesConsumer {}
