/**
 * The {@code resource_detection} processor (also {@code resourcedetection}): detects resource
 * attributes once at start, from the environment ({@code env}) and the host ({@code system}), and
 * adds them to the resource of every batch (the Collector's resourcedetectionprocessor).
 * Everything here is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.processor.resourcedetection;

import org.jspecify.annotations.NullMarked;
