/** The {@code file} exporter: recordings on disk within a size budget (seed 003). */
@NullMarked
package dev.inflight.exporter.file;

import org.jspecify.annotations.NullMarked;
