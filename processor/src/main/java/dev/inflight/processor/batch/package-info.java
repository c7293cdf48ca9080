/**
 * The {@code batch} processor: gathers the batches that reach it into fewer, larger requests, sent
 * when {@code send_batch_size} items are held or {@code timeout} has passed, and never larger than
 * {@code send_batch_max_size} items (the Collector's batchprocessor). Traces and logs stay encoded:
 * merging concatenates export request bytes and splitting walks them, copying spans and log
 * records as bytes. Everything here is non-null unless marked otherwise.
 */
@NullMarked
package dev.inflight.processor.batch;

import org.jspecify.annotations.NullMarked;
