package dev.inflight.component;

public interface MetricsProcessor extends Processor, MetricsConsumer {}
