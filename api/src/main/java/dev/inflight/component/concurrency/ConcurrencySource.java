package dev.inflight.component.concurrency;

/**
 * A pipeline component that publishes what it sees of concurrency (the {@code concurrency}
 * connector). Found through {@link dev.inflight.component.Host#components(Class)}.
 */
public interface ConcurrencySource {
  ConcurrencyView concurrency();
}
