package dev.inflight.exporter;

import dev.inflight.component.Component;
import dev.inflight.exporterhelper.RetryConfig;
import dev.inflight.service.telemetry.ScrapedTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests of an exporter that sends to a real server on 127.0.0.1 share: fresh telemetry and a
 * fresh server per test, exporters that are started and shut down, and fast retries.
 *
 * @param <S> the recording server the exporter sends to
 */
public abstract class ExporterTestBase<S extends AutoCloseable> {
  /** Retries every 10ms for up to 3s: tests stay fast. */
  protected static final RetryConfig FAST_RETRY =
      new RetryConfig(true, Duration.ofMillis(10), 0.0, 1.0, Duration.ofMillis(10), Duration.ofSeconds(3));

  /** Closed after each test, last added first, before {@link #server}. */
  protected final List<AutoCloseable> toClose = new ArrayList<>();
  protected ScrapedTelemetry telemetry;
  protected S server;

  /** The server this test's exporters send to, started. */
  protected abstract S startServer() throws Exception;

  /** Runs after everything is closed: checks on what the server saw. */
  protected void afterClose() {}

  @BeforeEach
  protected final void startTelemetryAndServer() throws Exception {
    telemetry = new ScrapedTelemetry();
    server = startServer();
  }

  @AfterEach
  protected final void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    server.close();
    telemetry.close();
    afterClose();
  }

  /** Starts {@code exporter} and shuts it down after the test. */
  protected <E extends Component> E started(E exporter) throws Exception {
    return started(exporter, Map::of);
  }

  /** Starts {@code exporter} in {@code host} (with its extensions) and shuts it down after the test. */
  protected <E extends Component> E started(E exporter, dev.inflight.component.Host host) throws Exception {
    toClose.add(exporter::shutdown);
    exporter.start(host);
    return exporter;
  }

  /** A host with one client authenticator extension, {@code bearertokenauth/out}, sending {@code headers}. */
  protected static dev.inflight.component.Host hostWithClientAuth(Map<String, String> headers) {
    final class Auth implements dev.inflight.component.Extension, dev.inflight.component.auth.ClientAuthenticator {
      @Override
      public Map<String, String> headers() {
        return headers;
      }
    }
    Auth auth = new Auth();
    return () -> Map.of(dev.inflight.component.ComponentId.parse("bearertokenauth/out"), auth);
  }

  /** An ordered map of the keys and values in turn. */
  protected static Map<String, String> map(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
