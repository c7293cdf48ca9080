package dev.inflight.tests;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helpers for {@link BadInputIT} and {@link FaultIT}: OTLP requests with known span ids, a scrape of
 * inflight's self-metrics, a raw HTTP/1.1 exchange over a plain socket, a gRPC client and a gRPC
 * backend that records span ids and can answer, refuse (UNAVAILABLE) or stall. Loopback only.
 */
final class EdgeSupport {
  private EdgeSupport() {}

  static final String TRACE_EXPORT = "opentelemetry.proto.collector.trace.v1.TraceService/Export";

  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  };

  static final MethodDescriptor<byte[], byte[]> EXPORT = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(TRACE_EXPORT)
      .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

  // ---- OTLP data with known ids ----

  static byte[] spanId(long n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }

  static String spanIdHex(long n) {
    return HexFormat.of().formatHex(spanId(n));
  }

  /** One resource, one scope, {@code count} spans with span ids {@code first .. first+count-1}. */
  static ExportTraceServiceRequest traces(String service, long first, int count) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("edge-it"));
    byte[] trace = ByteBuffer.allocate(16).putLong(0x5b8efff798038103L).putLong(first).array();
    for (int i = 0; i < count; i++) {
      scope.addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(trace))
          .setSpanId(ByteString.copyFrom(spanId(first + i)))
          .setName("op-" + (first + i))
          .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
          .setStartTimeUnixNano(1_700_000_000_000_000_000L)
          .setEndTimeUnixNano(1_700_000_000_100_000_000L));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service))))
            .addScopeSpans(scope))
        .build();
  }

  /** Span ids (hex) in an encoded {@code ExportTraceServiceRequest}. */
  static List<String> spanIds(byte[] request) {
    List<String> ids = new ArrayList<>();
    try {
      for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(request).getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            ids.add(HexFormat.of().formatHex(s.getSpanId().toByteArray()));
          }
        }
      }
    } catch (IOException e) {
      throw new AssertionError("the backend got a request that is not an ExportTraceServiceRequest", e);
    }
    return ids;
  }

  // ---- self-metrics ----

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** Sum of the samples of {@code name} whose labels include {@code labels}; 0 when none. */
  static double metric(String text, String name, Map<String, String> labels) {
    double sum = 0;
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.find() || !m.group(1).equals(name)) {
        continue;
      }
      Map<String, String> have = new HashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          have.put(l.group(1), l.group(2));
        }
      }
      if (have.entrySet().containsAll(labels.entrySet())) {
        sum += Double.parseDouble(m.group(3));
      }
    }
    return sum;
  }

  static double metric(Ports ports, String name, Map<String, String> labels) throws Exception {
    return metric(InflightProcess.get(ports.metricsUrl()).body(), name, labels);
  }

  /** Polls until the metric equals {@code expected} (bounded by {@code timeout}); fails with the last value. */
  static void awaitMetric(InflightProcess p, Ports ports, String name, Map<String, String> labels, double expected,
      Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    double last;
    String text;
    while (true) {
      text = InflightProcess.get(ports.metricsUrl()).body();
      last = metric(text, name, labels);
      if (last == expected) {
        return;
      }
      if (System.nanoTime() > deadline || !p.process.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + labels + " is " + last + ", expected " + expected + " (waited " + timeout
        + ")\nmetrics:\n" + relevant(text) + "\ninflight stderr (tail):\n" + tail(p.stderr(), 4000));
  }

  private static String relevant(String metrics) {
    StringBuilder b = new StringBuilder();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("otelcol_receiver") || line.startsWith("otelcol_exporter")) {
        b.append(line).append('\n');
      }
    }
    return b.toString();
  }

  static String tail(String s, int chars) {
    return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
  }

  /** VmRSS of a Linux process, in KiB. */
  static long rssKiB(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new AssertionError("no VmRSS in /proc/" + pid + "/status");
  }

  // ---- raw HTTP/1.1 ----

  record RawResponse(int status, Map<String, String> headers, byte[] body, boolean closedAfter) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Reads one HTTP/1.1 response (Content-Length framed) from {@code in}. */
  static RawResponse readResponse(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before a full response head; got: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    boolean closed = false;
    if ("close".equalsIgnoreCase(headers.get("connection"))) {
      try {
        closed = in.read() < 0;
      } catch (SocketTimeoutException e) {
        closed = false;
      } catch (IOException reset) {
        closed = true;
      }
    }
    return new RawResponse(status, headers, body, closed);
  }

  static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    s.setSoTimeout(5_000);
    return s;
  }

  static void write(Socket s, String ascii) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  // ---- gRPC client ----

  static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  /** One {@code TraceService/Export} call with these bytes; returns its status. */
  static Status export(ManagedChannel channel, byte[] request) {
    try {
      io.grpc.stub.ClientCalls.blockingUnaryCall(channel, EXPORT,
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
      return Status.OK;
    } catch (io.grpc.StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  // ---- gRPC backend ----

  /**
   * A grpc-java OTLP trace backend on a fixed loopback port, taking the request as bytes. In mode
   * {@code OK} it records the span ids and answers; {@code UNAVAILABLE} answers that status (counted
   * in {@link #refusedCalls}); {@code STALL} parks every call unanswered until {@link #release}.
   * It can be stopped and started again on the same port.
   */
  static final class Backend implements AutoCloseable {
    enum Mode { OK, UNAVAILABLE, STALL }

    final int port;
    volatile Mode mode = Mode.OK;
    /** Span id (hex) → how many times it arrived in an answered-OK call. */
    final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    final AtomicInteger okCalls = new AtomicInteger();
    final AtomicInteger refusedCalls = new AtomicInteger();
    private final List<Parked> parked = new ArrayList<>();
    private Server server;

    private record Parked(byte[] body, StreamObserver<byte[]> out) {}

    Backend(int port) {
      this.port = port;
    }

    synchronized Backend start() throws IOException {
      ServerServiceDefinition service = ServerServiceDefinition.builder("opentelemetry.proto.collector.trace.v1.TraceService")
          .addMethod(EXPORT, ServerCalls.asyncUnaryCall(this::export))
          .build();
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
          .addService(service).directExecutor().build().start();
      return this;
    }

    private void export(byte[] body, StreamObserver<byte[]> out) {
      switch (mode) {
        case UNAVAILABLE -> {
          refusedCalls.incrementAndGet();
          out.onError(Status.UNAVAILABLE.withDescription("backend says: try later").asRuntimeException());
        }
        case STALL -> {
          synchronized (this) {
            if (mode == Mode.STALL) {
              parked.add(new Parked(body, out));
              return;
            }
          }
          answer(body, out);
        }
        case OK -> answer(body, out);
      }
    }

    private void answer(byte[] body, StreamObserver<byte[]> out) {
      try {
        out.onNext(ExportTraceServiceResponse.getDefaultInstance().toByteArray());
        out.onCompleted();
      } catch (RuntimeException cancelled) {
        return; // the client gave up on this call (deadline): not delivered
      }
      for (String id : spanIds(body)) {
        received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      }
      okCalls.incrementAndGet();
    }

    synchronized int parkedCalls() {
      return parked.size();
    }

    /** Back to normal: answers every parked call (recording it) and answers new calls at once. */
    void release() {
      List<Parked> now;
      synchronized (this) {
        mode = Mode.OK;
        now = new ArrayList<>(parked);
        parked.clear();
      }
      for (Parked p : now) {
        answer(p.body(), p.out());
      }
    }

    synchronized void stop() throws InterruptedException {
      if (server != null) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
        server = null;
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }
}
