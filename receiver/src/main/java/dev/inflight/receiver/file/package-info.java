/**
 * Recordings: the on-disk format the {@code file} exporter writes ({@link
 * dev.inflight.recording.RecordingFormat}), reading it back ({@link
 * dev.inflight.recording.RecordingReader}, {@link dev.inflight.recording.RecordingFiles}),
 * and the {@code file} receiver that replays recordings into the pipelines ({@link
 * dev.inflight.receiver.file.FileReceiverFactory}, {@link
 * dev.inflight.receiver.file.FileReceiverConfig}), paced by {@link
 * dev.inflight.receiver.file.ReplayPacer} (shared with {@code inflight replay}). Everything is
 * non-null unless documented otherwise.
 */
package dev.inflight.receiver.file;

import dev.inflight.recording.RecordingFiles;
import dev.inflight.recording.RecordingFormat;
import dev.inflight.recording.RecordingReader;
