package dev.inflight.app;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.tools.analyze.RecordingScanner;
import dev.inflight.tools.analyze.SpanJsonl;
import dev.inflight.recording.RecordingFiles;
import dev.inflight.recording.RecordingFormat.Kind;
import dev.inflight.otlp.json.OtlpJson;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
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
 * jsonl}), or one OTLP/JSON request per record ({@code --to otlp-json}). Streams: one record in
 * memory at a time.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Convert recordings of the file exporter: --to jsonl writes one flat JSON object per span"
          + " (ids, name, service, worker_type, times, status, attributes, resource); --to otlp-json"
          + " writes each record as one OTLP/JSON request per line (traces and metrics).",
      "Exit code 0; 1 when a damaged record was skipped or a file cannot be read or written; 2 on"
          + " bad usage, a missing file or a config that does not load."
    })
final class ConvertCommand implements Callable<Integer> {
  static final String JSONL = "jsonl";
  static final String OTLP_JSON = "otlp-json";

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recording files, directories or globs.")
  List<String> files;

  @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "jsonl or otlp-json.")
  String to;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT", defaultValue = "-",
      description = "Where to write; - for stdout. Default: stdout.")
  String output;

  @Mixin WorkerTypeOptions workerTypes;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (!to.equals(JSONL) && !to.equals(OTLP_JSON)) {
      throw new ParameterException(spec.commandLine(), "--to must be jsonl or otlp-json, got \"" + to + "\"");
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
    boolean stdout = output.equals("-");
    RecordingScanner scanner = new RecordingScanner(w -> err.println("warning: " + w));
    long[] metricsSkipped = {0};
    try (Writer out = stdout ? new NonClosing(spec.commandLine().getOut())
        : new BufferedWriter(Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8), 1 << 16)) {
      SpanJsonl jsonl = types == null ? null : new SpanJsonl(out, types.types());
      for (Path p : paths) {
        scanner.scan(p, (file, kind, encoded) -> {
          try {
            if (jsonl != null) {
              if (kind == Kind.METRICS) {
                metricsSkipped[0]++;
              } else {
                jsonl.write(ExportTraceServiceRequest.parseFrom(encoded), out);
              }
            } else {
              out.write(OtlpJson.print(kind == Kind.METRICS
                  ? ExportMetricsServiceRequest.parseFrom(encoded) : ExportTraceServiceRequest.parseFrom(encoded)));
              out.write('\n');
            }
            return true;
          } catch (InvalidProtocolBufferException e) {
            err.println("warning: " + file + ": a record is not a valid OTLP request (" + e.getMessage() + "); skipped");
            return false;
          }
        });
      }
      if (jsonl != null) {
        err.println("inflight convert: " + jsonl.spans() + " spans from " + scanner.summary().records()
            + " records" + (metricsSkipped[0] > 0 ? "; " + metricsSkipped[0] + " metrics records skipped" : ""));
      }
    } catch (IOException e) {
      err.println("inflight convert: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    err.flush();
    return scanner.summary().damagedRecords() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
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
