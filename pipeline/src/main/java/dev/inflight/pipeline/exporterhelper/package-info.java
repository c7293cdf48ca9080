/** Shared exporter behaviour: counting, failure mapping, lifecycle (later: queue, retry, timeout). */
package dev.inflight.pipeline.exporterhelper;
