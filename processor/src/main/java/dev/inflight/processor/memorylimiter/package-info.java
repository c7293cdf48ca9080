/**
 * The {@code memory_limiter} processor: measures the JVM heap every {@code check_interval} and,
 * above a soft limit, refuses incoming data with a retryable refusal so receivers push back on
 * their senders instead of running out of memory; above the hard limit it also forces a GC. The
 * Collector's memorylimiterprocessor, with the JVM heap in place of Go's allocated memory.
 * Everything here is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.processor.memorylimiter;

import org.jspecify.annotations.NullMarked;
