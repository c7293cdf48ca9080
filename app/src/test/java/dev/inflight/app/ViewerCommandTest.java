package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.app.QueryApiFixture.Run;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inflight viewer}: the jar's viewer page, written where asked, byte for byte. */
class ViewerCommandTest {
  @TempDir Path dir;

  private static byte[] page() throws Exception {
    try (InputStream in = ViewerCommand.class.getResourceAsStream(ViewerCommand.RESOURCE)) {
      assertThat(in).as(ViewerCommand.RESOURCE).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void writesTheStandaloneViewerAndSaysHowToOpenIt() throws Exception {
    Path file = dir.resolve("viewer-copy.html");
    Files.writeString(file, "an older copy, replaced");

    Run run = QueryApiFixture.run(new ViewerCommand(), "-o", file.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(Files.readAllBytes(file)).isEqualTo(page());
    assertThat(new String(page(), java.nio.charset.StandardCharsets.UTF_8))
        .as("self-contained: nothing loaded from elsewhere")
        .contains("<script>", "<style>").doesNotContain("http://", "https://", "//cdn")
        .doesNotContainPattern("(src|href)=\"(?!data:)");
    assertThat(run.out()).isEqualTo("wrote " + file + "\nopen " + file.toUri()
        + " in a browser, then drop a recording on the page (or pick one with its file button)\n");
  }

  @Test
  void defaultsToInflightViewerHtml() {
    ViewerCommand command = new ViewerCommand();
    new picocli.CommandLine(command).parseArgs();
    assertThat(command.output).isEqualTo(Path.of("inflight-viewer.html"));
  }

  @Test
  void aFileThatCannotBeWrittenFailsWithTheReason() {
    Path file = dir.resolve("no such dir").resolve("viewer.html");

    Run run = QueryApiFixture.run(new ViewerCommand(), "--output", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("inflight viewer: cannot write " + file + ": ").contains("NoSuchFileException");
    assertThat(file).doesNotExist();
  }
}
