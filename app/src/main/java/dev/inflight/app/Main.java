package dev.inflight.app;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code inflight}: with no subcommand it runs the pipelines, like {@code otelcol}; {@code run},
 * {@code validate} and {@code components} are the explicit forms.
 */
@Command(
    name = "inflight",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "A span pipeline in the style of the OpenTelemetry Collector that measures how many workers"
          + " are busy at once.",
      "With no command it runs the pipelines of --config (default: the embedded otel-collector.yaml)."
    },
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      ComponentsCommand.class,
      TopCommand.class,
      TraceCommand.class,
      LoadgenCommand.class,
      ReplayCommand.class,
      AnalyzeCommand.class,
      ConvertCommand.class,
      BenchCommand.class,
      ViewerCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Override
  public Integer call() {
    return RunCommand.run(config);
  }

  public static void main(String[] args) {
    Logging.bridgeJavaUtilLogging();
    int code = commandLine().execute(args);
    System.exit(code);
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true);
  }
}
