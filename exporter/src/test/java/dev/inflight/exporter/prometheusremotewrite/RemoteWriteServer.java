package dev.inflight.exporter.prometheusremotewrite;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import dev.inflight.exporter.ScriptedServer;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.xerial.snappy.Snappy;

/**
 * A remote write receiver on 127.0.0.1 (the JDK's HTTP server): records every request, decodes its
 * Snappy body and parses the {@code WriteRequest} with {@link DynamicMessage} against descriptors
 * built here from Prometheus' {@code prompb} messages, independently of the exporter's encoder.
 * Answers from a script, then 204 as Prometheus does.
 */
final class RemoteWriteServer
    extends ScriptedServer<RemoteWriteServer.Request, RemoteWriteServer.Answer, RemoteWriteServer> {
  /** Prometheus' {@code prompb/remote.proto} and {@code prompb/types.proto}, the parts remote write 1.0 uses. */
  static final Descriptor WRITE_REQUEST = descriptors().findMessageTypeByName("WriteRequest");

  /** One sample: time in ms, value and its raw bits (the staleness marker is a NaN with a payload). */
  record Sample(long timestamp, double value, long bits) {}

  /** One decoded TimeSeries: labels in the order sent, samples in the order sent. */
  record Series(List<Map.Entry<String, String>> labelList, List<Sample> samples) {
    Map<String, String> labels() {
      Map<String, String> m = new LinkedHashMap<>();
      labelList.forEach(e -> m.put(e.getKey(), e.getValue()));
      return m;
    }

    String name() {
      return labels().get("__name__");
    }

    List<String> labelNames() {
      return labelList.stream().map(Map.Entry::getKey).toList();
    }
  }

  /** One request as it arrived: path, headers, the bytes on the wire, the decoded WriteRequest. */
  record Request(
      String path, Map<String, List<String>> headers, byte[] raw, byte[] body, List<Series> series, long atNanos) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  record Answer(int status, String contentType, String body, Map<String, String> headers) {
    static Answer of(int status) {
      return new Answer(status, null, "", Map.of());
    }

    /** As Prometheus' {@code http.Error}: a text body. */
    static Answer text(int status, String body) {
      return new Answer(status, "text/plain; charset=utf-8", body + "\n", Map.of());
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();

  private RemoteWriteServer(HttpServer server) {
    super("request", Answer.of(204));
    this.server = server;
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  static RemoteWriteServer start() throws IOException {
    return new RemoteWriteServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
  }

  /** Requests that could not be decoded (answered 400): a test should end with none. */
  List<Throwable> errors() {
    return errors;
  }

  List<Request> requests() {
    return recorded();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      Request r;
      try {
        if (!"snappy".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
          throw new IOException("Content-Encoding is not snappy");
        }
        byte[] body = Snappy.uncompress(raw);
        r = new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), raw, body,
            decode(body), System.nanoTime());
      } catch (IOException | RuntimeException e) {
        errors.add(e);
        byte[] why = ("undecodable request: " + e).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(400, why.length);
        exchange.getResponseBody().write(why);
        return;
      }
      Answer a = record(r);
      if (a.contentType() != null) {
        exchange.getResponseHeaders().add("Content-Type", a.contentType());
      }
      send(exchange, a.status(), a.headers(), a.body().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Parses a WriteRequest with DynamicMessage; refuses unknown fields (something the spec has not). */
  static List<Series> decode(byte[] body) throws IOException {
    DynamicMessage request = DynamicMessage.parseFrom(WRITE_REQUEST, body);
    if (!request.getUnknownFields().asMap().isEmpty()) {
      throw new IOException("unknown fields in WriteRequest: " + request.getUnknownFields());
    }
    FieldDescriptor timeseries = WRITE_REQUEST.findFieldByName("timeseries");
    Descriptor tsType = timeseries.getMessageType();
    FieldDescriptor labelsField = tsType.findFieldByName("labels");
    FieldDescriptor samplesField = tsType.findFieldByName("samples");
    Descriptor labelType = labelsField.getMessageType();
    Descriptor sampleType = samplesField.getMessageType();
    List<Series> out = new ArrayList<>();
    for (int i = 0; i < request.getRepeatedFieldCount(timeseries); i++) {
      DynamicMessage ts = (DynamicMessage) request.getRepeatedField(timeseries, i);
      List<Map.Entry<String, String>> labels = new ArrayList<>();
      for (int j = 0; j < ts.getRepeatedFieldCount(labelsField); j++) {
        DynamicMessage l = (DynamicMessage) ts.getRepeatedField(labelsField, j);
        labels.add(Map.entry(
            (String) l.getField(labelType.findFieldByName("name")),
            (String) l.getField(labelType.findFieldByName("value"))));
      }
      List<Sample> samples = new ArrayList<>();
      for (int j = 0; j < ts.getRepeatedFieldCount(samplesField); j++) {
        DynamicMessage s = (DynamicMessage) ts.getRepeatedField(samplesField, j);
        double v = (Double) s.getField(sampleType.findFieldByName("value"));
        samples.add(new Sample((Long) s.getField(sampleType.findFieldByName("timestamp")), v,
            Double.doubleToRawLongBits(v)));
      }
      if (!ts.getUnknownFields().asMap().isEmpty()) {
        throw new IOException("unknown fields in TimeSeries: " + ts.getUnknownFields());
      }
      out.add(new Series(List.copyOf(labels), List.copyOf(samples)));
    }
    return out;
  }

  private static FileDescriptor descriptors() {
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName("prompb.proto")
        .setPackage("prometheus")
        .setSyntax("proto3")
        .addMessageType(DescriptorProto.newBuilder().setName("WriteRequest")
            .addField(message("timeseries", 1, ".prometheus.TimeSeries")))
        .addMessageType(DescriptorProto.newBuilder().setName("TimeSeries")
            .addField(message("labels", 1, ".prometheus.Label"))
            .addField(message("samples", 2, ".prometheus.Sample")))
        .addMessageType(DescriptorProto.newBuilder().setName("Label")
            .addField(scalar("name", 1, FieldDescriptorProto.Type.TYPE_STRING))
            .addField(scalar("value", 2, FieldDescriptorProto.Type.TYPE_STRING)))
        .addMessageType(DescriptorProto.newBuilder().setName("Sample")
            .addField(scalar("value", 1, FieldDescriptorProto.Type.TYPE_DOUBLE))
            .addField(scalar("timestamp", 2, FieldDescriptorProto.Type.TYPE_INT64)))
        .build();
    try {
      return FileDescriptor.buildFrom(file, new FileDescriptor[0]);
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FieldDescriptorProto message(String name, int number, String type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
        .setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)
        .setType(FieldDescriptorProto.Type.TYPE_MESSAGE).setTypeName(type).build();
  }

  private static FieldDescriptorProto scalar(String name, int number, FieldDescriptorProto.Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).setType(type).build();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
