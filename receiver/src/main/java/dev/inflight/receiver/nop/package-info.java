/** The {@code nop} receiver. */
@NullMarked
package dev.inflight.receiver.nop;

import org.jspecify.annotations.NullMarked;
