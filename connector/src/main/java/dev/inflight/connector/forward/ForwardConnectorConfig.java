package dev.inflight.connector.forward;

import dev.inflight.component.config.ComponentConfig;

/** {@code connectors: forward:} takes no settings. */
public record ForwardConnectorConfig() implements ComponentConfig {}
