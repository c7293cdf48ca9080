/**
 * The {@code resource} processor: inserts, updates, upserts or deletes attributes of the resource
 * of every batch (the Collector's resourceprocessor), e.g. to stamp the machine and environment on
 * everything a sidecar forwards. It rewrites the encoded request, decoding only the resources and
 * copying spans and metrics through as bytes. Everything here is non-null unless documented
 * otherwise.
 */
@NullMarked
package dev.inflight.processor.resource;

import org.jspecify.annotations.NullMarked;
