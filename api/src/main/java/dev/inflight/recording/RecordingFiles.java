package dev.inflight.recording;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns what a user names (files, directories, globs such as {@code /var/lib/inflight/spans*}) into
 * the recording files to read, oldest first: a rotated recording is one file per rotation, and
 * reading them in the order they were written replays time forward.
 */
public final class RecordingFiles {
  private RecordingFiles() {}

  /**
   * The files {@code patterns} name, each once, ordered by last modification (then name): the
   * rotation renames a file when it is finished, so the active file, written last, comes last.
   *
   * <p>A pattern is a file; a directory (its regular files, not recursing); or a glob ({@code *},
   * {@code ?}, {@code [..]}, {@code {a,b}}, {@code **} across directories) on the path.
   *
   * @throws NoSuchFileException naming the pattern that matched nothing
   */
  public static List<Path> resolve(List<String> patterns) throws IOException {
    Set<Path> files = new LinkedHashSet<>();
    for (String pattern : patterns) {
      List<Path> matched = matches(pattern);
      if (matched.isEmpty()) {
        throw new NoSuchFileException(pattern, null, "no recording file matches");
      }
      files.addAll(matched);
    }
    List<Path> ordered = new ArrayList<>(files);
    ordered.sort(Comparator.comparing(RecordingFiles::modified).thenComparing(Path::toString));
    return ordered;
  }

  /** The files one pattern names now; empty when none (a glob may match later, as files appear). */
  public static List<Path> matches(String pattern) throws IOException {
    if (!isGlob(pattern)) {
      Path p = Paths.get(pattern);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          return s.filter(Files::isRegularFile).sorted().toList();
        }
      }
      return Files.isRegularFile(p) ? List.of(p) : List.of();
    }
    Path base = globBase(pattern);
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    boolean deep = pattern.contains("**");
    int depth = deep ? Integer.MAX_VALUE : Paths.get(pattern).getNameCount() - base.getNameCount();
    try (Stream<Path> s = Files.walk(base, Math.max(1, depth))) {
      return s.filter(Files::isRegularFile).filter(matcher::matches).sorted().toList();
    }
  }

  static boolean isGlob(String pattern) {
    for (char c : new char[] {'*', '?', '[', '{'}) {
      if (pattern.indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** The longest leading directory of the pattern without glob characters. */
  public static Path globBase(String pattern) {
    Path p = Paths.get(pattern);
    Path base = p.isAbsolute() ? p.getRoot() : null;
    for (Path part : p) {
      if (isGlob(part.toString())) {
        break;
      }
      base = base == null ? part : base.resolve(part);
    }
    // The walk yields paths starting with the base, which the matcher compares with the pattern
    // as written: a relative pattern walks from a relative base.
    return base == null ? Paths.get("") : base;
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
