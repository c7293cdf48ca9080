/**
 * The {@code concurrency} connector: from the spans flowing through, how many workers of each type
 * are busy at once, per window of span time, as OTLP metrics ({@code workers.active}, {@code
 * workers.active.max}, ...). What each number means: docs/components/concurrency.md.
 */
@NullMarked
package dev.inflight.connector.concurrency;

import org.jspecify.annotations.NullMarked;
