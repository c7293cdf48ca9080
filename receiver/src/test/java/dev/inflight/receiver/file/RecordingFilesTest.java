package dev.inflight.receiver.file;

import dev.inflight.recording.RecordingFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingFilesTest {
  @TempDir Path dir;

  private Path file(String name, long modifiedMillis) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {1});
    Files.setLastModifiedTime(p, FileTime.fromMillis(modifiedMillis));
    return p;
  }

  @Test
  void aGlobNamesRotatedFilesOldestFirstWithTheActiveFileLast() throws IOException {
    Path active = file("spans.binpb", 3_000);
    Path older = file("spans-2026-11-23T10-00-00.000.binpb", 1_000);
    Path newer = file("spans-2026-11-23T11-00-00.000.binpb", 2_000);
    file("other.log", 500);
    assertThat(RecordingFiles.resolve(List.of(dir + "/spans*.binpb"))).containsExactly(older, newer, active);
  }

  @Test
  void filesDirectoriesAndGlobsAreEachReadOnce() throws IOException {
    Path a = file("a.binpb", 1_000);
    Path b = file("sub/b.binpb", 2_000);
    assertThat(RecordingFiles.resolve(List.of(a.toString(), dir.toString(), dir + "/**.binpb")))
        .containsExactly(a, b);
  }

  @Test
  void aPatternThatMatchesNothingIsAnErrorNamingIt() {
    assertThatThrownBy(() -> RecordingFiles.resolve(List.of(dir + "/missing*.binpb")))
        .isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing*.binpb");
  }

  @Test
  void theBaseOfAGlobIsItsLeadingPlainDirectories() {
    assertThat(RecordingFiles.globBase("/var/lib/inflight/spans*.binpb")).isEqualTo(Path.of("/var/lib/inflight"));
    assertThat(RecordingFiles.globBase("rec/*/x.binpb")).isEqualTo(Path.of("rec"));
    assertThat(RecordingFiles.globBase("*.binpb")).isEqualTo(Path.of(""));
  }
}
