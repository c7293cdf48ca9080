package dev.inflight.component;

public interface LogsProcessor extends Processor, LogsConsumer {}
