package dev.inflight.config.configcompression;

import dev.inflight.otlp.wire.InvalidRequestException;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * The {@code Content-Encoding}s an HTTP server accepts (the otlp receiver's OTLP/HTTP), and bounded decompression: the output is
 * refused as soon as it passes the limit, so a small body that inflates to gigabytes (a "gzip
 * bomb") costs at most the limit in memory and the time to inflate that much.
 */
public enum ContentEncoding {
  IDENTITY,
  GZIP,
  /** zlib-wrapped deflate as RFC 9110 defines it; raw deflate streams are accepted as well. */
  DEFLATE,
  ZSTD;

  /** zstd is offered only where its native library loads. */
  private static final boolean ZSTD_AVAILABLE = zstdLoads();

  /** Deflate cannot do better than about 1032:1, which bounds an honest size hint. */
  private static final int MAX_DEFLATE_RATIO = 1032;

  /** The encoding named by a {@code Content-Encoding} header, or null when it is not supported. */
  public static ContentEncoding parse(String header) {
    if (header == null) {
      return IDENTITY;
    }
    return switch (header.trim().toLowerCase(Locale.ROOT)) {
      case "", "identity" -> IDENTITY;
      case "gzip", "x-gzip" -> GZIP;
      case "deflate" -> DEFLATE;
      case "zstd" -> ZSTD_AVAILABLE ? ZSTD : null;
      default -> null;
    };
  }

  /** What a 415 lists as accepted. */
  public static String supported() {
    return ZSTD_AVAILABLE ? "gzip, deflate, zstd" : "gzip, deflate";
  }

  /**
   * The decoded body.
   *
   * @param limit the largest decoded size accepted
   * @throws InvalidRequestException {@link InvalidRequestException#isTooLarge() too large} past
   *     {@code limit}, malformed when the body does not decompress
   */
  public byte[] decode(byte[] body, int limit) throws InvalidRequestException {
    if (this == IDENTITY) {
      return body;
    }
    try (InputStream in = open(body, limit)) {
      return readBounded(in, limit, sizeHint(body, limit));
    } catch (InvalidRequestException e) {
      throw e;
    } catch (ZipException e) {
      throw InvalidRequestException.malformed("body is not valid " + name().toLowerCase(Locale.ROOT) + ": " + e.getMessage(), e);
    } catch (IOException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage();
      throw InvalidRequestException.malformed("body is not valid " + name().toLowerCase(Locale.ROOT) + ": " + m, e);
    }
  }

  private InputStream open(byte[] body, int limit) throws IOException {
    ByteArrayInputStream raw = new ByteArrayInputStream(body);
    return switch (this) {
      case GZIP -> new GZIPInputStream(raw, 8192);
      case DEFLATE -> new InflaterInputStream(raw, new Inflater(!zlibHeader(body)), 8192) {
        @Override
        public void close() throws IOException {
          super.close();
          inf.end(); // an Inflater passed in is not ended by close()
        }
      };
      case ZSTD -> {
        ZstdInputStreamNoFinalizer z = new ZstdInputStreamNoFinalizer(raw);
        // No window larger than the output may be: bounds the decoder's own memory too.
        z.setLongMax(Math.max(10, Math.min(27, 32 - Integer.numberOfLeadingZeros(Math.max(1, limit)))));
        yield z;
      }
      case IDENTITY -> raw;
    };
  }

  /** A zlib header: deflate method, and the check bits make the first two bytes a multiple of 31. */
  private static boolean zlibHeader(byte[] b) {
    return b.length >= 2 && (b[0] & 0x0F) == 8 && ((b[0] & 0xFF) << 8 | (b[1] & 0xFF)) % 31 == 0;
  }

  /** The decoded size the body announces, when it does (gzip ISIZE, zstd frame size), capped. */
  private int sizeHint(byte[] body, int limit) {
    long hint = -1;
    if (this == GZIP && body.length >= 18) {
      int n = body.length;
      hint = (body[n - 4] & 0xFFL) | (body[n - 3] & 0xFFL) << 8 | (body[n - 2] & 0xFFL) << 16
          | (body[n - 1] & 0xFFL) << 24;
    } else if (this == ZSTD) {
      try {
        hint = Zstd.getFrameContentSize(body);
      } catch (RuntimeException e) {
        hint = -1;
      }
    }
    long plausible = (long) body.length * MAX_DEFLATE_RATIO;
    if (hint < 0) {
      hint = Math.min(plausible, (long) body.length * 8);
    }
    return (int) Math.max(64, Math.min(Math.min(hint, plausible), (long) limit + 1));
  }

  /** Reads at most {@code limit} bytes; one more is a 413. */
  static byte[] readBounded(InputStream in, int limit, int sizeHint) throws IOException, InvalidRequestException {
    byte[] buf = new byte[Math.min(Math.max(sizeHint, 64), limit + 1)];
    int n = 0;
    while (true) {
      if (n == buf.length) {
        if (n > limit) {
          throw tooLarge(limit);
        }
        int grown = (int) Math.min((long) limit + 1, Math.max(n * 2L, 64));
        buf = Arrays.copyOf(buf, grown);
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        break;
      }
      n += r;
      if (n > limit) {
        throw tooLarge(limit);
      }
    }
    return n == buf.length ? buf : Arrays.copyOf(buf, n);
  }

  private static InvalidRequestException tooLarge(int limit) {
    return InvalidRequestException.tooLarge(
        "decompressed body is larger than max_request_body_size (" + limit + " bytes)");
  }

  private static boolean zstdLoads() {
    try {
      Zstd.defaultCompressionLevel();
      return true;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }
}
