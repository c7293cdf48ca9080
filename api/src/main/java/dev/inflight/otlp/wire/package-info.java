/**
 * The OTLP protobuf wire format, once: field numbers and tags ({@link dev.inflight.otlp.wire.OtlpWire}),
 * the streaming reader every component that walks encoded OTLP uses ({@link
 * dev.inflight.otlp.wire.WireReader}), and the receiver's structural check.
 */
@NullMarked
package dev.inflight.otlp.wire;

import org.jspecify.annotations.NullMarked;
