package dev.inflight.pipeline;

public interface MetricsProcessor extends Processor, MetricsConsumer {}
