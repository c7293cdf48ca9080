package dev.inflight.exporter.otlp;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.grpc.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The {@code zstd} gRPC message encoding, as the Collector's gRPC client offers it. */
final class ZstdCodec implements Codec {
  static final ZstdCodec INSTANCE = new ZstdCodec();

  private ZstdCodec() {}

  @Override
  public String getMessageEncoding() {
    return "zstd";
  }

  @Override
  public OutputStream compress(OutputStream os) throws IOException {
    return new ZstdOutputStreamNoFinalizer(os, 3);
  }

  @Override
  public InputStream decompress(InputStream is) throws IOException {
    return new ZstdInputStreamNoFinalizer(is);
  }
}
