/**
 * The {@code attributes} processor: inserts, updates, upserts, deletes, hashes, extracts and
 * converts attributes of spans, log records and metric data points (the Collector's
 * attributesprocessor), optionally only on what {@code include}/{@code exclude} select. Everything
 * here is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.processor.attributes;

import org.jspecify.annotations.NullMarked;
