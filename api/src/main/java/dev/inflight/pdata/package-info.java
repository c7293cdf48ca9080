/** The data that travels through pipelines: encoded OTLP traces and metrics. */
@NullMarked
package dev.inflight.pdata;

import org.jspecify.annotations.NullMarked;
