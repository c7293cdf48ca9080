package dev.inflight.component;

/** A connector whose input is traces (its output signal was chosen at creation). */
public interface TracesConnector extends Connector, TracesConsumer {}
