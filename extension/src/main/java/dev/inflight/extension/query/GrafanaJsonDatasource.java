package dev.inflight.extension.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The Grafana JSON datasource protocol (simpod-json-datasource, and the older SimpleJSON), as seed
 * 000's tool spoke it: {@code /search} lists worker types, {@code /query} answers each target
 * (a worker type) with {@code [value, epoch_ms]} datapoints. A target whose payload (or older
 * {@code data}, "additional JSON") names a {@code traceId} gets that trace's per-bucket peaks at
 * absolute times (trace start + time_ms); without one, the live mean of that worker type's active
 * workers per window in the dashboard's range.
 */
final class GrafanaJsonDatasource {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** What the datasource needs of the extension. */
  interface Backend {
    /** Every connector's worker types, in config order. */
    List<String> workerTypes();

    /** The trace's data and analysis; throws 404/400/502 as {@code GET /trace} does. */
    TraceReport.TraceData trace(String traceId) throws QueryException;

    LiveWorkers live();

    /** The connectors' open windows as they stand. */
    LiveWorkers.Open open();
  }

  private final Backend backend;

  GrafanaJsonDatasource(Backend backend) {
    this.backend = backend;
  }

  static JsonNode body(byte[] body) throws QueryException {
    if (body.length == 0) {
      return JSON.objectNode();
    }
    try {
      JsonNode n = MAPPER.readTree(body);
      return n == null ? JSON.objectNode() : n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new QueryException(400, "the request body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new QueryException(400, "the request body could not be read: " + e.getMessage());
    }
  }

  /** {@code POST /search}: worker type names, filtered by the typed text when there is one. */
  ArrayNode search(JsonNode request) {
    String filter = request.path("target").asText("");
    ArrayNode out = JSON.arrayNode();
    for (String t : backend.workerTypes()) {
      if (filter.isEmpty() || t.contains(filter)) {
        out.add(t);
      }
    }
    return out;
  }

  /** {@code POST /metrics} (simpod ≥ 0.3): worker types with the payload fields they take. */
  ArrayNode metrics(JsonNode request) {
    String filter = request.path("metric").asText("");
    ArrayNode out = JSON.arrayNode();
    for (String t : backend.workerTypes()) {
      if (!filter.isEmpty() && !t.contains(filter)) {
        continue;
      }
      ObjectNode m = out.addObject().put("label", t).put("value", t);
      ArrayNode payloads = m.putArray("payloads");
      payloads.addObject().put("label", "Trace ID").put("name", "traceId").put("type", "input")
          .put("placeholder", "empty: live mean active workers");
      payloads.addObject().put("label", "Bucket (ms)").put("name", "bucketMs").put("type", "input")
          .put("placeholder", "5");
      ObjectNode provisional = payloads.addObject().put("label", "Provisional").put("name", "provisional")
          .put("type", "select");
      ArrayNode options = provisional.putArray("options");
      options.addObject().put("label", "final windows only").put("value", "false");
      options.addObject().put("label", "include open windows so far").put("value", "true");
    }
    return out;
  }

  /** {@code POST /variable}: worker types as variable values. */
  ArrayNode variable() {
    ArrayNode out = JSON.arrayNode();
    for (String t : backend.workerTypes()) {
      out.addObject().put("__text", t).put("__value", t);
    }
    return out;
  }

  /**
   * {@code POST /query}; a live target includes the open windows' provisional means when its
   * payload says {@code "provisional": true}, or the URL {@code ?provisional=true}.
   */
  ArrayNode query(JsonNode request, boolean provisional) throws QueryException {
    long[] range = range(request.path("range"));
    ArrayNode out = JSON.arrayNode();
    for (JsonNode target : request.path("targets")) {
      if (target.path("hide").asBoolean(false)) {
        continue;
      }
      String name = target.path("target").asText("");
      JsonNode payload = payload(target);
      String traceId = text(payload, "traceId", "trace_id");
      if (traceId != null && !traceId.isBlank()) {
        long bucketMs = TraceReport.parseBucketMs(text(payload, "bucketMs", "bucket_ms"), "bucketMs");
        TraceReport.TraceData data = backend.trace(traceId);
        TraceConcurrency.Result result = TraceReport.analyze(data, bucketMs, backend.workerTypes());
        long startMs = Math.round(data.start() / 1e6);
        for (TraceConcurrency.WorkerTypeSeries t : result.workerTypes()) {
          if (!name.isEmpty() && !name.equals("*") && !name.equals(t.workerType())) {
            continue;
          }
          ObjectNode series = out.addObject().put("target", t.workerType());
          ArrayNode points = series.putArray("datapoints");
          int[] peaks = t.series();
          for (int k = 0; k < peaks.length; k++) {
            points.addArray().add(peaks[k]).add(startMs + k * bucketMs);
          }
        }
      } else {
        List<String> types = name.isEmpty() || name.equals("*") ? backend.workerTypes() : List.of(name);
        LiveWorkers.Open open = provisional || payloadProvisional(payload) ? backend.open() : LiveWorkers.Open.NONE;
        for (String t : types) {
          ObjectNode series = out.addObject().put("target", t);
          ArrayNode points = series.putArray("datapoints");
          for (Map.Entry<Long, Double> e : backend.live().sumOfMeans(t, range[0], range[1], open).entrySet()) {
            points.addArray().add(e.getValue()).add(e.getKey() / 1_000_000L);
          }
        }
      }
    }
    return out;
  }

  /** The payload as an object: simpod sends an object (or a JSON string); SimpleJSON sends {@code data}. */
  private static JsonNode payload(JsonNode target) throws QueryException {
    JsonNode p = target.has("payload") ? target.get("payload") : target.get("data");
    if (p == null || p.isNull()) {
      return JSON.objectNode();
    }
    if (p.isTextual()) {
      String s = p.asText().strip();
      if (s.isEmpty()) {
        return JSON.objectNode();
      }
      try {
        return MAPPER.readTree(s);
      } catch (IOException e) {
        throw new QueryException(400, "the target's payload is not JSON: " + TraceReport.shorten(s));
      }
    }
    return p;
  }

  /** {@code "provisional": true} (or the string "true") in a target's payload. */
  private static boolean payloadProvisional(JsonNode payload) throws QueryException {
    JsonNode v = payload.get("provisional");
    if (v == null || v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    String t = v.asText().strip();
    if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(t.toLowerCase(java.util.Locale.ROOT));
    }
    throw new QueryException(400, "the target's payload field provisional must be true or false, got " + TraceReport.shorten(v.toString()));
  }

  private static String text(JsonNode o, String... names) {
    for (String n : names) {
      JsonNode v = o.get(n);
      if (v != null && !v.isNull()) {
        return v.asText();
      }
    }
    return null;
  }

  /** The dashboard's range as ns since the epoch; everything when absent. */
  private static long[] range(JsonNode range) throws QueryException {
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    try {
      if (range.hasNonNull("from")) {
        from = toNanos(Instant.parse(range.get("from").asText()));
      }
      if (range.hasNonNull("to")) {
        to = toNanos(Instant.parse(range.get("to").asText()));
      }
    } catch (DateTimeParseException e) {
      throw new QueryException(400, "range.from and range.to must be RFC 3339 times such as 2026-11-23T10:00:00.000Z");
    }
    return new long[] {from, to};
  }

  private static long toNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
