package dev.inflight.component;

public interface TracesProcessor extends Processor, TracesConsumer {}
