package dev.inflight.component;

/** A connector whose input is logs. */
public interface LogsConnector extends Connector, LogsConsumer {}
