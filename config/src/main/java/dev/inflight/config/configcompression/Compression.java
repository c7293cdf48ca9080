package dev.inflight.config.configcompression;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

/**
 * {@code compression} of a client (the OTLP exporters): how request bodies are compressed on the
 * wire. What a server accepts is {@link ContentEncoding}.
 */
public enum Compression {
  /** The Collector's default. */
  @JsonProperty("gzip") GZIP("gzip"),
  @JsonProperty("none") NONE("identity"),
  /** Smaller and cheaper than gzip; needs the zstd native library (bundled for common platforms). */
  @JsonProperty("zstd") ZSTD("zstd");

  private final String encoding;

  Compression(String encoding) {
    this.encoding = encoding;
  }

  /** The gRPC message encoding / HTTP {@code Content-Encoding} token. */
  public String encoding() {
    return encoding;
  }

  /** The body compressed; the same array for {@link #NONE}. */
  public byte[] compress(byte[] body) throws IOException {
    switch (this) {
      case GZIP -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
          gz.write(body);
        }
        return out.toByteArray();
      }
      case ZSTD -> {
        return Zstd.compress(body, 3);
      }
      default -> {
        return body;
      }
    }
  }

  /**
   * Why this compression cannot be used here, or null if it can: zstd needs its native library.
   * Checked when the exporter starts, so the failure names the setting.
   */
  public String unavailable() {
    if (this != ZSTD) {
      return null;
    }
    try {
      Zstd.compress(new byte[1], 3);
      return null;
    } catch (LinkageError | RuntimeException e) {
      return "compression zstd is not available on this platform (" + e.getMessage() + "); use gzip";
    }
  }
}
