package dev.inflight.app;

import dev.inflight.tools.analyze.AnalysisJson;
import dev.inflight.tools.analyze.AnalysisText;
import dev.inflight.tools.analyze.RecordingAnalysis;
import dev.inflight.tools.analyze.RecordingScanner;
import dev.inflight.tools.analyze.SpanCollector;
import dev.inflight.component.config.DurationFormat;
import dev.inflight.recording.RecordingFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code inflight analyze}: reads recordings of the {@code file} exporter and reports, per worker
 * type, exact peak and mean concurrency, utilization, duration percentiles, the longest spans, idle
 * gaps and, with an instance attribute, how the work spread over threads or pods.
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Analyse recordings of the file exporter: per worker type, spans, errors, exact peak and mean"
          + " concurrency, utilization, duration percentiles, the longest spans, idle gaps and, with"
          + " --instance-attribute, busy share and imbalance per thread or pod.",
      "FILE is a recording file, a directory of them, or a glob (quote it); rotated files are read"
          + " oldest first.",
      "Exit code 0; 1 when a record in the middle of a file was damaged and skipped (the rest is"
          + " analysed; a cut-off last record, normal for a live recording, is only a warning) or a"
          + " file cannot be read; 2 on bad usage, a missing file or a config that does not load."
    })
final class AnalyzeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recording files, directories or globs.")
  List<String> files;

  @Mixin WorkerTypeOptions workerTypes;

  @Option(
      names = "--instance-attribute",
      paramLabel = "KEY",
      description = "Attribute naming a span's instance (thread.name, service.instance.id): the span's"
          + " attribute, else the resource's. Default: the connector's instance_attribute, if any.")
  String instanceAttribute;

  @Option(names = "--top", paramLabel = "N", defaultValue = "5",
      description = "How many of the longest spans and idle gaps to list per worker type. Default: ${DEFAULT-VALUE}.")
  int top;

  @Option(names = "--min-idle", paramLabel = "DURATION", defaultValue = "1ms", converter = DurationConverter.class,
      description = "Idle gaps count when longer than this (e.g. 500us, 10ms, 1s). Default: ${DEFAULT-VALUE}.")
  Duration minIdle;

  @Option(names = "--idle-below", paramLabel = "PERCENT", defaultValue = "1",
      description = "An instance busy less than this percentage of the range is idle. Default: ${DEFAULT-VALUE}.")
  double idleBelow;

  @Option(names = "--json", description = "Print one JSON document (shape in docs/analyze.md).")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (top < 0) {
      throw new ParameterException(spec.commandLine(), "--top must be 0 or more, got " + top);
    }
    if (minIdle.isNegative()) {
      throw new ParameterException(spec.commandLine(), "--min-idle must not be negative");
    }
    if (!(idleBelow >= 0 && idleBelow <= 100)) {
      throw new ParameterException(spec.commandLine(), "--idle-below must be a percentage from 0 to 100");
    }
    WorkerTypeOptions.Resolved types;
    try {
      types = workerTypes.resolve(spec.commandLine(), "analyze", err);
    } catch (WorkerTypeOptions.ConfigFailure e) {
      err.flush();
      return ExitCodes.INVALID_CONFIG;
    }
    String instance = instanceAttribute != null ? (instanceAttribute.isEmpty() ? null : instanceAttribute)
        : types.instanceAttribute();
    List<Path> paths;
    try {
      paths = RecordingFiles.resolve(files);
    } catch (NoSuchFileException e) {
      err.println("inflight analyze: " + e.getFile() + ": no such recording file (nothing matches)");
      err.flush();
      return ExitCodes.INVALID_CONFIG;
    } catch (IOException e) {
      err.println("inflight analyze: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    RecordingScanner scanner = new RecordingScanner(w -> err.println("warning: " + w));
    SpanCollector collector = new SpanCollector(types.types(), instance, top, w -> err.println("warning: " + w));
    for (Path p : paths) {
      try {
        scanner.scan(p, collector);
      } catch (IOException e) {
        err.println("inflight analyze: cannot read " + p + ": " + e.getMessage());
        err.flush();
        return ExitCodes.FAILED;
      }
    }
    RecordingAnalysis analysis = RecordingAnalysis.of(scanner.summary(), types.source(), collector.spans(),
        types.types(), instance, collector::instanceName,
        new RecordingAnalysis.Options(minIdle.toNanos(), idleBelow, top));
    out.print(json ? AnalysisJson.render(analysis) + "\n" : AnalysisText.render(analysis));
    out.flush();
    err.flush();
    return analysis.read().damagedRecords() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
  }

  /** Go-style durations, as in the config: 500us, 10ms, 1s. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return DurationFormat.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
