package dev.inflight.pipeline;

public interface TracesProcessor extends Processor, TracesConsumer {}
