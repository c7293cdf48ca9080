package dev.inflight.receiver.nop;

import dev.inflight.component.config.ComponentConfig;

/** {@code receivers: nop:} takes no settings. */
public record NopReceiverConfig() implements ComponentConfig {}
