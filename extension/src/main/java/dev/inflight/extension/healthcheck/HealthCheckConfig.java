package dev.inflight.extension.healthcheck;

import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.Endpoints;

/**
 * {@code extensions.health_check}.
 *
 * @param endpoint {@code host:port} to listen on; default {@value #DEFAULT_ENDPOINT}
 * @param path the URL path that answers; default {@value #DEFAULT_PATH} (which, as in the
 *     Collector, answers on every path)
 */
public record HealthCheckConfig(String endpoint, String path) implements ComponentConfig {
  /** The Collector's port; 0.0.0.0 so probes from outside a container reach it. */
  public static final String DEFAULT_ENDPOINT = "0.0.0.0:13133";

  public static final String DEFAULT_PATH = "/";

  public HealthCheckConfig {
    endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
    path = path == null ? DEFAULT_PATH : path;
  }

  /** Every setting at its default: what {@code createDefaultConfig()} returns. */
  public static final HealthCheckConfig DEFAULT = new HealthCheckConfig(null, null);

  @Override
  public void validate(ConfigProblems problems) {
    String problem = Endpoints.checkHostPort(endpoint);
    if (problem != null) {
      problems.add("endpoint", "endpoint " + problem);
    }
    if (!path.startsWith("/")) {
      problems.add("path", "path \"" + path + "\" must start with /");
    }
  }
}
