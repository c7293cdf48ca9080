package dev.inflight.receiver.prometheus;

import dev.inflight.config.configtls.TlsClientConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One {@code scrape_configs} entry after defaults are applied ({@link PrometheusConfigReader}).
 *
 * @param externalLabels {@code global.external_labels}, added to every series of the job
 * @param targets every target of every {@code static_configs} entry, in order
 * @param metricRelabel {@code metric_relabel_configs}, applied to every scraped sample in order
 */
record ScrapeJob(
    String jobName,
    Duration scrapeInterval,
    Duration scrapeTimeout,
    String metricsPath,
    String scheme,
    Map<String, List<String>> params,
    boolean honorLabels,
    boolean honorTimestamps,
    List<Target> targets,
    @Nullable BasicAuth basicAuth,
    @Nullable Authorization authorization,
    @Nullable TlsClientConfig tls,
    Map<String, String> externalLabels,
    List<Relabel> metricRelabel) {

  /**
   * @param address {@code host:port} as written
   * @param labels the entry's {@code labels}
   */
  record Target(String address, Map<String, String> labels) {}

  /** {@code basic_auth}: the password, or the file it is read from at each scrape. */
  record BasicAuth(String username, String password, String passwordFile) {}

  /** {@code authorization}: {@code type} (default Bearer) and the credentials or their file. */
  record Authorization(String type, String credentials, String credentialsFile) {}
}
