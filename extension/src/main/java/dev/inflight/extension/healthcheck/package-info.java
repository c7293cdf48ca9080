/**
 * The {@code health_check} extension: an HTTP endpoint for liveness and readiness probes that
 * answers 200 while the pipelines run and 503 otherwise, with the Collector's JSON bodies.
 */
@NullMarked
package dev.inflight.extension.healthcheck;

import org.jspecify.annotations.NullMarked;
