package dev.inflight.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inflight viewer [-o FILE]}: writes the timeline viewer (the page the query extension
 * serves at {@code /viewer}) as one standalone HTML file, for someone who has the jar and a
 * recording but no running inflight.
 */
@Command(
    name = "viewer",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Write the timeline viewer, one self-contained HTML file, to open in a browser and drop"
          + " recordings on (the file exporter's .bin, OTLP/JSON lines, inflight convert's JSONL).",
      "Exit code 0; 1 when the file cannot be written."
    })
final class ViewerCommand implements Callable<Integer> {
  static final String RESOURCE = "/dev/inflight/extension/query/web/viewer.html";
  static final String DEFAULT_FILE = "inflight-viewer.html";

  @Spec CommandSpec spec;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      defaultValue = DEFAULT_FILE,
      description = "Where to write it (replaced if it exists). Default: ${DEFAULT-VALUE} in the current directory.")
  Path output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path file = output.toAbsolutePath().normalize();
    try (InputStream page = ViewerCommand.class.getResourceAsStream(RESOURCE)) {
      if (page == null) {
        err.println("inflight viewer: " + RESOURCE + " is missing from the jar");
        return ExitCodes.FAILED;
      }
      Files.write(file, page.readAllBytes());
    } catch (IOException e) {
      err.println("inflight viewer: cannot write " + file + ": " + e);
      return ExitCodes.FAILED;
    }
    out.println("wrote " + file);
    out.println("open " + file.toUri() + " in a browser, then drop a recording on the page"
        + " (or pick one with its file button)");
    return ExitCodes.OK;
  }
}
