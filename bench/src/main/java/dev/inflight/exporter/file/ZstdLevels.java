package dev.inflight.exporter.file;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.inflight.bench.OtlpBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Random;

/**
 * Which zstd level the {@code file} exporter should use: the compressor alone, as the exporter drives
 * it (one stream, flushed every MiB), over the requests of {@link FileExporterBenchmark}, at the fast
 * levels. Prints speed, CPU per span and bytes per span per level (the third of three rounds, after
 * two of warm-up). Run: {@code java -cp bench/target/benchmarks.jar dev.inflight.exporter.file.ZstdLevels}.
 */
public final class ZstdLevels {
  private static final int SPANS = 512;
  private static final int REQUESTS = 64;
  private static final int PASSES = 4;

  private ZstdLevels() {}

  public static void main(String[] args) throws IOException {
    Random random = new Random(42);
    byte[][] requests = new byte[REQUESTS][];
    for (int i = 0; i < REQUESTS; i++) {
      requests[i] = OtlpBenchmark.request(SPANS, 20, random).toByteArray();
    }
    long spans = (long) PASSES * REQUESTS * SPANS;
    for (int round = 0; round < 3; round++) {
      for (int level : new int[] {-5, -1, 1, 2, 3}) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream(64 << 20);
        long in = 0;
        long sinceFlush = 0;
        long start = System.nanoTime();
        try (ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(sink, level)) {
          for (int pass = 0; pass < PASSES; pass++) {
            for (byte[] r : requests) {
              z.write(r);
              in += r.length;
              sinceFlush += r.length;
              if (sinceFlush >= 1 << 20) {
                z.flush();
                sinceFlush = 0;
              }
            }
          }
        }
        long nanos = System.nanoTime() - start;
        if (round == 2) {
          System.out.printf(Locale.ROOT, "level %d: %.0f MB/s, %.2f µs/span, ratio %.2f, %.1f bytes/span%n", level,
              in / 1e6 / (nanos / 1e9), nanos / 1e3 / spans, (double) in / sink.size(), (double) sink.size() / spans);
        }
      }
    }
  }
}
