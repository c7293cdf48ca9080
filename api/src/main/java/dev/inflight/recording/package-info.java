/**
 * Recordings, the on-disk format the {@code file} exporter writes and the {@code file} receiver,
 * {@code inflight analyze}, {@code convert}, {@code replay} and the viewer read: length-prefixed
 * OTLP requests (traces, metrics, logs) or OTLP/JSON lines, plain or zstd, in the Collector's file exporter layout, with
 * rotation ({@link dev.inflight.recording.RecordingFiles}) and a reader that survives a crash at
 * any byte ({@link dev.inflight.recording.RecordingReader}).
 */
@NullMarked
package dev.inflight.recording;

import org.jspecify.annotations.NullMarked;
