/** The {@code nop} exporter. */
@NullMarked
package dev.inflight.exporter.nop;

import org.jspecify.annotations.NullMarked;
