/**
 * The {@code file} receiver: replays recordings ({@link dev.inflight.recording}) into the
 * pipelines, paced by event time as recorded, faster, or as fast as the pipeline takes them
 * ({@link dev.inflight.receiver.file.ReplayPacer}, shared with {@code inflight replay}).
 */
@NullMarked
package dev.inflight.receiver.file;

import org.jspecify.annotations.NullMarked;
