/**
 * What the concurrency connector publishes for readers (the query extension today): read-only
 * views of its worker types and closed windows, and its recent-trace store. A connector is a
 * {@link dev.inflight.component.concurrency.ConcurrencySource}; readers find them with {@link
 * dev.inflight.component.Host#components(Class)}, at any point of the lifecycle, and neither side
 * imports the other. Everything here is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.component.concurrency;

import org.jspecify.annotations.NullMarked;
