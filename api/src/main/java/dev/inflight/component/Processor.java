package dev.inflight.component;

/** Consumer in, consumer out. The consumer side is {@link TracesProcessor} / {@link MetricsProcessor}. */
public interface Processor extends Component {}
