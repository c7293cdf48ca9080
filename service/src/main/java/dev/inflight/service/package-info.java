/** The pipeline graph built from {@code service.pipelines}, and the service lifecycle. */
@NullMarked
package dev.inflight.service;

import org.jspecify.annotations.NullMarked;
