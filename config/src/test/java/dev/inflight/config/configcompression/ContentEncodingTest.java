package dev.inflight.config.configcompression;

import dev.inflight.otlp.wire.InvalidRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

public class ContentEncodingTest {
  public static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  public static byte[] deflate(byte[] data, boolean zlib) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, !zlib))) {
      z.write(data);
    }
    return out.toByteArray();
  }

  /** {@code size} zero bytes, gzipped a MiB at a time: a bomb without holding it in memory. */
  public static byte[] gzipBomb(long size) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] zeros = new byte[1 << 20];
    try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16)) {
      for (long written = 0; written < size; written += zeros.length) {
        z.write(zeros);
      }
    }
    return out.toByteArray();
  }

  private static byte[] data() {
    byte[] b = new byte[300_000];
    new Random(1).nextBytes(b);
    Arrays.fill(b, 1000, 200_000, (byte) 'x');
    return b;
  }

  @Test
  void decodesEveryEncoding() throws Exception {
    byte[] data = data();
    assertThat(ContentEncoding.GZIP.decode(gzip(data), 1 << 20)).isEqualTo(data);
    assertThat(ContentEncoding.DEFLATE.decode(deflate(data, true), 1 << 20)).isEqualTo(data);
    assertThat(ContentEncoding.DEFLATE.decode(deflate(data, false), 1 << 20)).isEqualTo(data);
    assertThat(ContentEncoding.ZSTD.decode(Zstd.compress(data), 1 << 20)).isEqualTo(data);
    assertThat(ContentEncoding.IDENTITY.decode(data, 1 << 20)).isSameAs(data);
    assertThat(ContentEncoding.GZIP.decode(gzip(new byte[0]), 10)).isEmpty();
  }

  @Test
  void exactlyTheLimitPassesOneMoreByteIsTooLarge() throws Exception {
    byte[] data = new byte[1000];
    assertThat(ContentEncoding.GZIP.decode(gzip(data), 1000)).hasSize(1000);
    assertThatThrownBy(() -> ContentEncoding.GZIP.decode(gzip(data), 999))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.isTooLarge()).isTrue());
    assertThatThrownBy(() -> ContentEncoding.ZSTD.decode(Zstd.compress(data), 999))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.isTooLarge()).isTrue());
    assertThatThrownBy(() -> ContentEncoding.DEFLATE.decode(deflate(data, true), 999))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.isTooLarge()).isTrue());
  }

  @Test
  void aGzipBombStopsAtTheLimit() throws Exception {
    byte[] bomb = gzipBomb(100L << 20); // 100 MiB of zeros in about 100 KiB
    assertThat(bomb.length).isLessThan(200 << 10);
    assertThatThrownBy(() -> ContentEncoding.GZIP.decode(bomb, 4 << 20))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.isTooLarge()).isTrue());
  }

  @Test
  void corruptBodiesAreMalformedNotTooLarge() {
    assertThatThrownBy(() -> ContentEncoding.GZIP.decode(new byte[] {1, 2, 3, 4}, 100))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.isTooLarge()).isFalse();
          assertThat(e.getMessage()).startsWith("body is not valid gzip");
        });
    assertThatThrownBy(() -> ContentEncoding.ZSTD.decode(new byte[] {1, 2, 3, 4}, 100))
        .hasMessageStartingWith("body is not valid zstd");
    assertThatThrownBy(() -> ContentEncoding.DEFLATE.decode(new byte[] {(byte) 0xFF, 2, 3, 4}, 100))
        .hasMessageStartingWith("body is not valid deflate");
  }

  @Test
  void headerNames() {
    assertThat(ContentEncoding.parse(null)).isEqualTo(ContentEncoding.IDENTITY);
    assertThat(ContentEncoding.parse("GZIP")).isEqualTo(ContentEncoding.GZIP);
    assertThat(ContentEncoding.parse("zstd")).isEqualTo(ContentEncoding.ZSTD);
    assertThat(ContentEncoding.parse("br")).isNull();
    assertThat(ContentEncoding.parse("gzip, deflate")).isNull();
  }
}
