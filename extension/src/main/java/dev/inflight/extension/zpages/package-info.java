/**
 * The {@code zpages} extension: HTML pages about the running service, as the Collector's
 * {@code /debug/servicez}, {@code /debug/pipelinez} and {@code /debug/extensionz}, read from the
 * host's {@link dev.inflight.component.ServiceView}.
 */
@NullMarked
package dev.inflight.extension.zpages;

import org.jspecify.annotations.NullMarked;
