package dev.inflight.extension.zpages;

import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.Endpoints;

/**
 * {@code extensions.zpages}.
 *
 * @param endpoint {@code host:port} to listen on; default {@value #DEFAULT_ENDPOINT}
 */
public record ZPagesConfig(String endpoint) implements ComponentConfig {
  /** The Collector's: the pages describe the whole configuration, so only this host by default. */
  public static final String DEFAULT_ENDPOINT = "localhost:55679";

  public ZPagesConfig {
    endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
  }

  /** Every setting at its default: what {@code createDefaultConfig()} returns. */
  public static final ZPagesConfig DEFAULT = new ZPagesConfig(null);

  @Override
  public void validate(ConfigProblems problems) {
    String problem = Endpoints.checkHostPort(endpoint);
    if (problem != null) {
      problems.add("endpoint", "endpoint " + problem);
    }
  }
}
