package dev.inflight.exporter.file;

import dev.inflight.bench.OtlpBenchmark;
import dev.inflight.exporter.file.FileExporterConfig.Compression;
import dev.inflight.exporter.file.FileExporterConfig.Format;
import dev.inflight.exporter.file.FileExporterConfig.Rotation;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.pdata.Traces;
import dev.inflight.component.telemetry.ComponentTelemetry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.LoggerFactory;

/**
 * What recording costs per request, against {@code parseFrom} of the same bytes (the floor the
 * pipeline's budget is counted in): the real {@code file} exporter's {@code consumeTraces} as a
 * receiver's thread calls it, writing to a real file in {@code java.io.tmpdir} that rotates at 64
 * MiB within a 256 MiB budget (so rotation and deletion are in the numbers), flushed every second.
 * Requests are {@code distinct} different requests of {@code spans} spans × {@code attributes}
 * attributes with random ids, so zstd cannot just find the last request again.
 *
 * <ul>
 *   <li>{@code parseFrom}: {@code ExportTraceServiceRequest.parseFrom}, the floor.
 *   <li>{@code recordProto}: {@code format: proto}: a length and the bytes as received.
 *   <li>{@code recordProtoZstd}: the same through the zstd stream (level 3).
 *   <li>{@code recordJson}: {@code format: json}: parse, print OTLP/JSON, write.
 * </ul>
 *
 * Divide by {@code spans} for per span. Bytes per span on disk are printed at tear-down.
 */
public class FileExporterBenchmark extends OtlpBenchmark {
  @Param({"512"})
  public int spans;

  @Param({"20"})
  public int attributes;

  @Param({"64"})
  public int distinct;

  private Traces[] requests;
  private int next;
  private Path dir;
  private FileExporter proto;
  private FileExporter protoZstd;
  private FileExporter json;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Random random = new Random(42);
    requests = new Traces[distinct];
    for (int i = 0; i < distinct; i++) {
      byte[] encoded = request(spans, attributes, random).toByteArray();
      requests[i] = Traces.ofEncoded(encoded, spans);
    }
    dir = Files.createTempDirectory("file-exporter-bench");
    proto = exporter("proto", Format.PROTO, Compression.NONE);
    protoZstd = exporter("zstd", Format.PROTO, Compression.ZSTD);
    json = exporter("json", Format.JSON, Compression.NONE);
  }

  private FileExporter exporter(String name, Format format, Compression compression) throws IOException {
    FileExporterConfig config = new FileExporterConfig(dir.resolve(name + "/spans.rec").toString(), format,
        compression, new Rotation(64, 256, null, null, null), Duration.ofSeconds(1));
    ComponentId id = ComponentId.parse("file/" + name);
    FileExporter e = new FileExporter(LoggerFactory.getLogger("bench"), config,
        ComponentTelemetry.noop(ComponentKind.EXPORTER, id), Clock.systemUTC());
    e.start(null);
    return e;
  }

  private Traces nextRequest() {
    Traces t = requests[next];
    next = next + 1 == distinct ? 0 : next + 1;
    return t;
  }

  @Benchmark
  public ExportTraceServiceRequest parseFrom() throws IOException {
    return ExportTraceServiceRequest.parseFrom(nextRequest().encoded());
  }

  @Benchmark
  public void recordProto() {
    proto.consumeTraces(nextRequest());
  }

  @Benchmark
  public void recordProtoZstd() {
    protoZstd.consumeTraces(nextRequest());
  }

  @Benchmark
  public void recordJson() {
    // A fresh Traces each time: the parsed message is cached in it, and a receiver's never is.
    json.consumeTraces(Traces.ofEncoded(nextRequest().encoded(), spans));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    for (FileExporter e : new FileExporter[] {proto, protoZstd, json}) {
      e.shutdown();
    }
    for (String name : new String[] {"proto", "zstd", "json"}) {
      FileExporter e = name.equals("proto") ? proto : name.equals("zstd") ? protoZstd : json;
      long records = e.writtenRecords();
      if (records > 0) {
        System.out.printf("%n%s: %.1f bytes per span written (%d records)%n", name,
            (double) e.writtenBytes() / (records * spans), records);
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
