package dev.inflight.app;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.inflight.tools.analyze.RecordingScanner;
import dev.inflight.tools.analyze.SpanJsonl;
import dev.inflight.recording.RecordingFiles;
import dev.inflight.recording.RecordingFormat;
import dev.inflight.recording.RecordingFormat.Kind;
import dev.inflight.otlp.json.OtlpJson;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inflight convert}: a recording as JSON lines, one flat object per span ({@code --to
 * jsonl}), one OTLP/JSON request per record ({@code --to otlp-json}), or length-prefixed protobuf
 * records, the file exporter's {@code format: proto} ({@code --to proto}). Traces, metrics and logs
 * convert to the last two; {@code jsonl} is spans only and counts the other records as skipped.
 * Streams: one record in memory at a time.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Convert recordings of the file exporter: --to jsonl writes one flat JSON object per span"
          + " (ids, name, service, worker_type, times, status, attributes, resource; metrics and logs"
          + " records are skipped and counted); --to otlp-json writes each record as one OTLP/JSON"
          + " request per line; --to proto writes each record length-prefixed, as the file exporter's"
          + " format: proto (traces, metrics and logs, for both).",
      "Exit code 0; 1 when a damaged record was skipped or a file cannot be read or written; 2 on"
          + " bad usage, a missing file or a config that does not load."
    })
final class ConvertCommand implements Callable<Integer> {
  static final String JSONL = "jsonl";
  static final String OTLP_JSON = "otlp-json";
  static final String PROTO = "proto";

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recording files, directories or globs.")
  List<String> files;

  @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "jsonl, otlp-json or proto.")
  String to;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT", defaultValue = "-",
      description = "Where to write; - for stdout (not for proto). Default: stdout.")
  String output;

  @Mixin WorkerTypeOptions workerTypes;

  /** Writes one record in the output format; false when it does not decode (it has warned). */
  @FunctionalInterface
  private interface RecordWriter {
    boolean write(Path file, Kind kind, byte[] encoded) throws IOException;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (!to.equals(JSONL) && !to.equals(OTLP_JSON) && !to.equals(PROTO)) {
      throw new ParameterException(spec.commandLine(),
          "--to must be jsonl, otlp-json or proto, got \"" + to + "\"");
    }
    boolean stdout = output.equals("-");
    if (to.equals(PROTO) && stdout) {
      throw new ParameterException(spec.commandLine(), "--to proto writes binary records: name the file with -o");
    }
    WorkerTypeOptions.Resolved types = null;
    if (to.equals(JSONL)) {
      try {
        types = workerTypes.resolve(spec.commandLine(), "convert", err);
      } catch (WorkerTypeOptions.ConfigFailure e) {
        err.flush();
        return ExitCodes.INVALID_CONFIG;
      }
    }
    List<Path> paths;
    try {
      paths = RecordingFiles.resolve(files);
    } catch (NoSuchFileException e) {
      err.println("inflight convert: " + e.getFile() + ": no such recording file (nothing matches)");
      err.flush();
      return ExitCodes.INVALID_CONFIG;
    } catch (IOException e) {
      err.println("inflight convert: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    RecordingScanner scanner = new RecordingScanner(w -> err.println("warning: " + w));
    try {
      if (to.equals(PROTO)) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(output)), 1 << 16)) {
          RecordWriter proto = (file, kind, encoded) -> writeProto(out, kind, encoded);
          scanAll(paths, scanner, proto, err);
        }
      } else {
        try (Writer out = stdout ? new NonClosing(spec.commandLine().getOut())
            : new BufferedWriter(Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8), 1 << 16)) {
          if (types != null) {
            SpanJsonl jsonl = new SpanJsonl(out, types.types());
            long[] skipped = new long[Kind.values().length];
            scanAll(paths, scanner, (file, kind, encoded) -> {
              if (kind != Kind.TRACES) {
                skipped[kind.ordinal()]++;
                return true;
              }
              jsonl.write(ExportTraceServiceRequest.parseFrom(encoded), out);
              return true;
            }, err);
            err.println("inflight convert: " + jsonl.spans() + " spans from " + scanner.summary().records()
                + " records" + skippedNote(skipped));
          } else {
            scanAll(paths, scanner, (file, kind, encoded) -> {
              out.write(OtlpJson.print(parse(kind, encoded)));
              out.write('\n');
              return true;
            }, err);
          }
        }
      }
    } catch (IOException e) {
      err.println("inflight convert: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    err.flush();
    return scanner.summary().damagedRecords() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
  }

  /** Every record of every file through {@code writer}; a record that does not decode is warned about. */
  private static void scanAll(List<Path> paths, RecordingScanner scanner, RecordWriter writer, PrintWriter err)
      throws IOException {
    for (Path p : paths) {
      scanner.scan(p, (file, kind, encoded) -> {
        try {
          return writer.write(file, kind, encoded);
        } catch (InvalidProtocolBufferException e) {
          err.println("warning: " + file + ": a record is not a valid OTLP request (" + e.getMessage() + "); skipped");
          return false;
        }
      });
    }
  }

  /** The record as the OTLP export request of its kind. */
  static Message parse(Kind kind, byte[] encoded) throws InvalidProtocolBufferException {
    return switch (kind) {
      case TRACES -> ExportTraceServiceRequest.parseFrom(encoded);
      case METRICS -> ExportMetricsServiceRequest.parseFrom(encoded);
      case LOGS -> ExportLogsServiceRequest.parseFrom(encoded);
    };
  }

  /**
   * The record after its length, as the file exporter writes {@code format: proto}: the bytes as
   * read, a logs request marked where a reader could not tell it from spans ({@link
   * RecordingFormat#markAsLogs}). A logs request with no log record is left out, as the exporter
   * leaves it out.
   */
  private static boolean writeProto(OutputStream out, Kind kind, byte[] encoded) throws IOException {
    byte[] record = encoded;
    if (kind == Kind.LOGS) {
      try {
        record = RecordingFormat.markAsLogs(encoded);
      } catch (IOException e) {
        throw new InvalidProtocolBufferException(e.getMessage());
      }
      if (record == null) {
        return true;
      }
    }
    out.write(RecordingFormat.lengthPrefix(record.length));
    out.write(record);
    return true;
  }

  /** {@code ; 1 metrics records and 2 logs records skipped (--to otlp-json or proto converts them)}, or "". */
  private static String skippedNote(long[] skipped) {
    List<String> parts = new ArrayList<>();
    for (Kind kind : List.of(Kind.METRICS, Kind.LOGS)) {
      if (skipped[kind.ordinal()] > 0) {
        parts.add(skipped[kind.ordinal()] + " " + kind.name().toLowerCase(Locale.ROOT) + " records");
      }
    }
    return parts.isEmpty() ? ""
        : "; " + String.join(" and ", parts) + " skipped (jsonl is one object per span; --to otlp-json or --to"
            + " proto converts them)";
  }

  /** Stdout is flushed, never closed: picocli and the JVM own it. */
  private static final class NonClosing extends Writer {
    private final PrintWriter out;

    NonClosing(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void write(char[] buf, int off, int len) {
      out.write(buf, off, len);
    }

    @Override
    public void write(String s, int off, int len) {
      out.write(s, off, len);
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() {
      out.flush();
    }
  }
}
