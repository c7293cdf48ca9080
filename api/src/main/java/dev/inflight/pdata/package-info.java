/** The data that travels through pipelines: encoded OTLP traces and metrics. */
package dev.inflight.pdata;
