/** The {@code file} exporter: recordings on disk within a size budget (seed 003). */
package dev.inflight.exporter.file;
