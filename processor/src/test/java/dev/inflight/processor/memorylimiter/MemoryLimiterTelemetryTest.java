package dev.inflight.processor.memorylimiter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentKind;
import dev.inflight.component.Signal;
import dev.inflight.service.telemetry.ScrapedTelemetry;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the memory limiter reports: refusals per signal, and its state only while it runs. */
class MemoryLimiterTelemetryTest {
  private static final Map<String, String> LIMITER = Map.of("processor", "memory_limiter");

  private ScrapedTelemetry scraped;
  private MemoryLimiterTelemetry telemetry;

  @BeforeEach
  void setUp() throws Exception {
    scraped = new ScrapedTelemetry();
    telemetry =
        new MemoryLimiterTelemetry(
            scraped.settings(ComponentKind.PROCESSOR, "memory_limiter").telemetry());
  }

  @AfterEach
  void tearDown() {
    scraped.close();
  }

  @Test
  void refusedItemsAreCountedUnderTheSignalsCollectorName() throws Exception {
    telemetry.refused(Signal.TRACES, 3);
    telemetry.refused(Signal.METRICS, 2);
    telemetry.refused(Signal.LOGS, 5);
    telemetry.refused(Signal.TRACES, 0);

    assertThat(scraped.await(MemoryLimiterTelemetry.REFUSED_SPANS.name() + "_total", LIMITER, 3)).isEqualTo(3);
    assertThat(scraped.value(MemoryLimiterTelemetry.REFUSED_METRIC_POINTS.name() + "_total", LIMITER))
        .isEqualTo(2);
    assertThat(scraped.value(MemoryLimiterTelemetry.REFUSED_LOG_RECORDS.name() + "_total", LIMITER))
        .isEqualTo(5);
  }

  @Test
  void theStateIsReportedUntilClosed() throws Exception {
    AtomicBoolean refusing = new AtomicBoolean(true);
    ObservableLongGauge gauge = telemetry.refusing(refusing::get);
    assertThat(scraped.await(MemoryLimiterTelemetry.REFUSING.name(), LIMITER, 1)).isEqualTo(1);

    refusing.set(false);
    assertThat(scraped.value(MemoryLimiterTelemetry.REFUSING.name(), LIMITER)).isZero();

    refusing.set(true);
    gauge.close();
    assertThat(scraped.value(MemoryLimiterTelemetry.REFUSING.name(), LIMITER)).isZero();
  }
}
