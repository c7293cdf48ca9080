package dev.inflight.connector.concurrency;

import dev.inflight.component.MetricsConsumer;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.WorkerType;
import dev.inflight.pdata.Metrics;
import dev.inflight.service.telemetry.ScrapedTelemetry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests of connectors with real self-metrics share: the telemetry (new for each test), the
 * sink that collects what the connectors emit, the time units, the start of the window grid and the
 * two worker types most tests configure.
 */
abstract class ConnectorTestBase {
  static final long S = 1_000_000_000L;
  static final long MS = 1_000_000L;
  /** A whole second, so window boundaries are easy to read: 2026-11-23T00:00:00Z. */
  static final long T0 = 1_795_392_000L * S;

  static final WorkerType ACCOUNT = new WorkerType("account_workers", List.of("account worker*"), 8.0, List.of());
  static final WorkerType STORAGE = new WorkerType("storage_workers", List.of("storage*", "blob write"), null, List.of());

  ScrapedTelemetry telemetry;
  final List<Metrics> received = new CopyOnWriteArrayList<>();
  final MetricsConsumer sink = received::add;

  @BeforeEach
  void startTelemetry() throws Exception {
    telemetry = new ScrapedTelemetry();
  }

  @AfterEach
  void closeTelemetry() {
    telemetry.close();
  }
}
