/**
 * {@code inflight loadgen} and {@code inflight bench}: an OTLP trace load generator that sends
 * pre-encoded, realistic requests at a fixed rate or as fast as the server takes them, and the
 * benchmark harness that drives a separate inflight process with it and reads that process's CPU
 * and memory from {@code /proc}.
 */
@NullMarked
package dev.inflight.tools.loadgen;

import org.jspecify.annotations.NullMarked;
