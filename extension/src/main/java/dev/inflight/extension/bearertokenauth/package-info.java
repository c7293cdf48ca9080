/**
 * The {@code bearertokenauth} extension, as the Collector's contrib {@code
 * bearertokenauthextension}: on a server, requests must carry {@code <header>: <scheme> <token>}
 * for one of the tokens; on a client, every request carries the first token.
 */
@NullMarked
package dev.inflight.extension.bearertokenauth;

import org.jspecify.annotations.NullMarked;
