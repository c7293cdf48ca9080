/**
 * The {@code inflight} command: {@link dev.inflight.app.Main} and one picocli command per
 * subcommand ({@code run}, {@code validate}, {@code components}, {@code top}, {@code trace},
 * {@code loadgen}, {@code bench}, {@code analyze}, {@code convert}, {@code replay}, {@code
 * viewer}). The work itself lives in the component modules and {@code tools}.
 */
@NullMarked
package dev.inflight.app;

import org.jspecify.annotations.NullMarked;
