/**
 * The {@code concurrency} connector: from the spans flowing through, how many workers of each type
 * are busy at once, per window of span time, as OTLP metrics ({@code workers.active}, {@code
 * workers.active.max}, ...). See "The concurrency connector" in DESIGN.md and
 * docs/components/concurrency.md.
 */
@NullMarked
package dev.inflight.connector.concurrency;

import org.jspecify.annotations.NullMarked;
