package dev.inflight.tests;

import static dev.inflight.tests.EdgeSupport.awaitMetric;
import static dev.inflight.tests.EdgeSupport.metric;
import static dev.inflight.tests.EdgeSupport.spanIdHex;
import static dev.inflight.tests.EdgeSupport.traces;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults downstream of inflight (otlp receiver → otlp exporter over gRPC, no batch processor, so one
 * request is one batch) with a grpc-java backend the test controls: down, refusing, slow (stalling
 * every call), back again. Short retries ({@code 100ms..200ms}, given up after {@code 2s}) and a
 * small queue ({@code 2} consumers, {@code queue_size: 4}) keep it quick. No timing assertions:
 * every wait is a bounded poll for a count.
 */
class FaultIT {
  private static final Map<String, String> OTLP_EXPORTER = Map.of("exporter", "otlp");
  private static final Map<String, String> OTLP_RECEIVER = Map.of("receiver", "otlp");
  private static final int QUEUE_SIZE = 4;
  private static final int CONSUMERS = 2;
  /** Generous bound on inflight's resident memory (it runs with -Xmx128m). */
  private static final long RSS_LIMIT_KIB = 400 * 1024;

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicLong nextSpanId = new AtomicLong(1);

  private InflightProcess start(Ports ports, int backendPort, String timeout) throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, ports.otlpReceivers() + """
        exporters:
          otlp:
            endpoint: http://127.0.0.1:%d
            timeout: %s
            retry_on_failure:
              initial_interval: 100ms
              max_interval: 200ms
              max_elapsed_time: 2s
            sending_queue:
              num_consumers: %d
              queue_size: %d
        """.formatted(backendPort, timeout, CONSUMERS, QUEUE_SIZE) + ports.service("""
        traces:
          receivers: [otlp]
          exporters: [otlp]
        """));
    InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString());
    p.awaitHttp200(ports.healthUrl(), Duration.ofSeconds(60));
    return p;
  }

  private HttpResponse<String> post(Ports ports, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.http() + "/v1/traces"))
            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
  }

  /** Posts {@code n} fresh spans; returns their span ids (hex) when answered 200, else null. */
  private List<String> postSpans(Ports ports, int n, List<Integer> statuses) throws Exception {
    long first = nextSpanId.getAndAdd(n);
    HttpResponse<String> r = post(ports, traces("fault-it", first, n).toByteArray());
    statuses.add(r.statusCode());
    if (r.statusCode() != 200) {
      return null;
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(spanIdHex(first + i));
    }
    return ids;
  }

  /**
   * (a) Downstream down: every batch is retried with backoff, then given up after max_elapsed_time
   * and counted in {@code otelcol_exporter_send_failed_spans_total}; the receivers kept answering
   * 200 (the queue had room) and inflight stays up and healthy. Then the backend refuses with
   * UNAVAILABLE (each batch is tried several times), and finally comes up answering OK on the same
   * port: new batches are delivered once gRPC has reconnected.
   */
  @Test
  void downstreamDownRetriesThenCountsFailedAndStaysHealthy() throws Exception {
    int backendPort = InflightProcess.freePort(); // nothing listens here yet
    Ports ports = Ports.free();
    ManagedChannel grpc = EdgeSupport.channel(ports.grpc());
    try (InflightProcess p = start(ports, backendPort, "1s");
        EdgeSupport.Backend backend = new EdgeSupport.Backend(backendPort)) {
      List<Integer> statuses = new ArrayList<>();
      assertThat(postSpans(ports, 3, statuses)).isNotNull();
      assertThat(postSpans(ports, 3, statuses)).isNotNull();
      Status s = EdgeSupport.export(grpc, traces("fault-it", nextSpanId.getAndAdd(2), 2).toByteArray());
      assertThat(s.getCode()).as("%s", s).isEqualTo(Status.Code.OK);
      long accepted = 8;

      awaitMetric(p, ports, "otelcol_exporter_send_failed_spans_total", OTLP_EXPORTER, accepted, Duration.ofSeconds(20));
      assertThat(metric(ports, "otelcol_exporter_sent_spans_total", OTLP_EXPORTER)).isZero();
      assertThat(metric(ports, "otelcol_receiver_accepted_spans_total", OTLP_RECEIVER)).isEqualTo(accepted);
      assertThat(metric(ports, "otelcol_receiver_refused_spans_total", OTLP_RECEIVER)).isZero();
      assertThat(p.stderr()).as("retries were logged").contains("will retry in");
      assertThat(p.stderr()).contains("no more retries left within max_elapsed_time 2s");
      assertThat(p.process.isAlive()).isTrue();
      assertThat(InflightProcess.get(ports.healthUrl()).statusCode()).isEqualTo(200);

      // The backend is up but refuses (UNAVAILABLE): one batch, tried several times, then failed.
      backend.mode = EdgeSupport.Backend.Mode.UNAVAILABLE;
      backend.start();
      long failed = accepted;
      for (int i = 0; i < 6 && backend.refusedCalls.get() < 3; i++) { // gRPC may still be in its reconnect backoff
        assertThat(postSpans(ports, 2, statuses)).isNotNull();
        accepted += 2;
        failed += 2;
        awaitMetric(p, ports, "otelcol_exporter_send_failed_spans_total", OTLP_EXPORTER, failed, Duration.ofSeconds(10));
      }
      assertThat(backend.refusedCalls.get()).as("attempts the backend refused (retries of one batch)")
          .isGreaterThanOrEqualTo(3);
      assertThat(backend.received).isEmpty();

      // The backend answers again: a new batch is delivered.
      backend.mode = EdgeSupport.Backend.Mode.OK;
      List<String> ids = postSpans(ports, 5, statuses);
      assertThat(ids).isNotNull();
      accepted += 5;
      awaitMetric(p, ports, "otelcol_exporter_sent_spans_total", OTLP_EXPORTER, 5, Duration.ofSeconds(10));
      assertThat(backend.received.keySet()).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(metric(ports, "otelcol_exporter_send_failed_spans_total", OTLP_EXPORTER)).isEqualTo(failed);
      assertThat(metric(ports, "otelcol_receiver_accepted_spans_total", OTLP_RECEIVER)).isEqualTo(accepted);
      assertThat(statuses).containsOnly(200);

      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(15))).as("exit code; stderr:\n%s", p.stderr()).isZero();
    } finally {
      grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * (b) Downstream slow: the backend parks every call (the exporter's timeout, 30s, is longer than
   * the test's stall, so nothing is retried). The two senders block, the queue fills to its
   * capacity, and then the receivers push back: HTTP 503 with Retry-After and a Status body, gRPC
   * UNAVAILABLE; the refused spans are counted at the receiver and at the exporter's queue, and
   * inflight's RSS stays under {@value #RSS_LIMIT_KIB} KiB while refused load keeps coming.
   *
   * <p>(c) Downstream comes back: every span that was acknowledged (200) reaches the backend, each
   * exactly once (no attempt timed out, so none was retried), and no refused span arrives.
   */
  @Test
  void slowDownstreamFillsQueueReceiversPushBackAndAcknowledgedDataIsDeliveredOnce() throws Exception {
    int backendPort = InflightProcess.freePort();
    Ports ports = Ports.free();
    ManagedChannel grpc = EdgeSupport.channel(ports.grpc());
    try (EdgeSupport.Backend backend = new EdgeSupport.Backend(backendPort).start();
        InflightProcess p = start(ports, backendPort, "30s")) {
      // A first batch goes straight through: the connection is up.
      List<Integer> statuses = new ArrayList<>();
      Set<String> acknowledged = new HashSet<>(postSpans(ports, 2, statuses));
      awaitMetric(p, ports, "otelcol_exporter_sent_spans_total", OTLP_EXPORTER, 2, Duration.ofSeconds(10));

      backend.mode = EdgeSupport.Backend.Mode.STALL;
      Set<String> refused = new HashSet<>();
      long refusedHttp = 0;
      // Post 10-span requests until the queue is full for good: a 503 answered while both senders
      // were already parked at the backend (so nothing can leave the queue any more), twice.
      int settled503 = 0;
      for (int i = 0; i < 60 && settled503 < 2; i++) {
        boolean sendersBlocked = backend.parkedCalls() == CONSUMERS;
        long first = nextSpanId.get();
        List<String> ids = postSpans(ports, 10, statuses);
        if (ids != null) {
          acknowledged.addAll(ids);
          continue;
        }
        assertThat(statuses.get(statuses.size() - 1)).as("answer while the queue is full").isEqualTo(503);
        refusedHttp += 10;
        for (int k = 0; k < 10; k++) {
          refused.add(spanIdHex(first + k));
        }
        if (sendersBlocked) {
          settled503++;
        } else {
          Thread.sleep(20);
        }
      }
      assertThat(settled503).as("receiver pushed back with the queue full (statuses %s)", statuses).isEqualTo(2);
      assertThat(backend.parkedCalls()).isEqualTo(CONSUMERS);
      // Never more acknowledged while stalled than the senders' calls plus a full queue.
      assertThat(acknowledged.size() - 2).isLessThanOrEqualTo(10 * (CONSUMERS + QUEUE_SIZE));

      // The shape of a 503: Retry-After in seconds, an OTLP Status body saying UNAVAILABLE.
      HttpResponse<String> r = post(ports, traces("fault-it", nextSpanId.getAndAdd(1), 1).toByteArray());
      assertThat(r.statusCode()).isEqualTo(503);
      refusedHttp += 1;
      assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
      com.google.rpc.Status body = com.google.rpc.Status.parseFrom(r.body().getBytes(StandardCharsets.ISO_8859_1));
      assertThat(body.getCode()).isEqualTo(com.google.rpc.Code.UNAVAILABLE_VALUE);
      assertThat(body.getMessage()).contains("queue is full");

      // gRPC clients are told UNAVAILABLE.
      long grpcFirst = nextSpanId.getAndAdd(3);
      Status s = EdgeSupport.export(grpc, traces("fault-it", grpcFirst, 3).toByteArray());
      assertThat(s.getCode()).as("%s", s).isEqualTo(Status.Code.UNAVAILABLE);
      for (int k = 0; k < 3; k++) {
        refused.add(spanIdHex(grpcFirst + k));
      }

      awaitMetric(p, ports, "otelcol_exporter_queue_size", OTLP_EXPORTER, QUEUE_SIZE, Duration.ofSeconds(5));
      assertThat(metric(ports, "otelcol_exporter_queue_capacity", OTLP_EXPORTER)).isEqualTo(QUEUE_SIZE);

      // Memory stays bounded while refused load keeps coming: 4 clients x 10 requests of 5000 spans.
      long rssBefore = EdgeSupport.rssKiB(p.process.pid());
      ExecutorService clients = Executors.newFixedThreadPool(4);
      AtomicInteger flood503 = new AtomicInteger();
      AtomicLong maxRss = new AtomicLong(rssBefore);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
          done.add(clients.submit(() -> {
            for (int i = 0; i < 10; i++) {
              HttpResponse<String> fr = post(ports, traces("flood", nextSpanId.getAndAdd(5000), 5000).toByteArray());
              if (fr.statusCode() == 503) {
                flood503.incrementAndGet();
              }
              maxRss.accumulateAndGet(EdgeSupport.rssKiB(p.process.pid()), Math::max);
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        clients.shutdownNow();
      }
      assertThat(flood503.get()).as("every request is refused while the queue is full").isEqualTo(40);
      refusedHttp += 40 * 5000;
      assertThat(maxRss.get()).as("VmRSS KiB of inflight (before the flood: %d)", rssBefore).isLessThan(RSS_LIMIT_KIB);

      awaitMetric(p, ports, "otelcol_receiver_refused_spans_total", Map.of("receiver", "otlp", "transport", "http"),
          refusedHttp, Duration.ofSeconds(5));
      awaitMetric(p, ports, "otelcol_receiver_refused_spans_total", Map.of("receiver", "otlp", "transport", "grpc"),
          3, Duration.ofSeconds(5));
      assertThat(metric(ports, "otelcol_exporter_enqueue_failed_spans_total", OTLP_EXPORTER)).isEqualTo(refusedHttp + 3);
      assertThat(metric(ports, "otelcol_receiver_accepted_spans_total", OTLP_RECEIVER)).isEqualTo(acknowledged.size());
      assertThat(p.process.isAlive()).isTrue();

      // (c) The backend answers again: the parked calls complete, the queue drains.
      backend.release();
      awaitMetric(p, ports, "otelcol_exporter_sent_spans_total", OTLP_EXPORTER, acknowledged.size(), Duration.ofSeconds(20));
      awaitMetric(p, ports, "otelcol_exporter_queue_size", OTLP_EXPORTER, 0, Duration.ofSeconds(5));
      assertThat(metric(ports, "otelcol_exporter_send_failed_spans_total", OTLP_EXPORTER)).isZero();
      assertThat(backend.received.keySet()).as("span ids at the backend = span ids acknowledged with 200")
          .containsExactlyInAnyOrderElementsOf(acknowledged);
      assertThat(backend.received.entrySet()).as("each acknowledged span delivered exactly once")
          .allSatisfy(e -> assertThat(e.getValue().get()).as(e.getKey()).isEqualTo(1));
      assertThat(backend.received.keySet()).doesNotContainAnyElementsOf(refused);

      // And new data flows normally again.
      List<String> after = postSpans(ports, 4, statuses);
      assertThat(after).isNotNull();
      awaitMetric(p, ports, "otelcol_exporter_sent_spans_total", OTLP_EXPORTER, acknowledged.size() + 4,
          Duration.ofSeconds(10));
      assertThat(backend.received.keySet()).containsAll(after);

      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(15))).as("exit code; stderr:\n%s", p.stderr()).isZero();
    } finally {
      grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
