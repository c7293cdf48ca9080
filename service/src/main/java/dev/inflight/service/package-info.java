/** The pipeline graph built from {@code service.pipelines}, and the service lifecycle. */
package dev.inflight.service;
