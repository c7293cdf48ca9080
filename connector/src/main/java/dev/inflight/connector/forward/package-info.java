/**
 * The {@code forward} connector: joins the end of one pipeline to the start of another of the same
 * signal, handing batches on unchanged (the Collector's forwardconnector). Use it to fan one
 * pipeline's output into several, or to merge several pipelines into one.
 */
@NullMarked
package dev.inflight.connector.forward;

import org.jspecify.annotations.NullMarked;
