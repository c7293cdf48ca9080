package dev.inflight.exporter.file;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.inflight.exporter.file.FileExporterConfig.Rotation;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file that rotates within a disk budget, as the Collector's file exporter rotates (lumberjack):
 * records go to {@code path}; before one would take the file past {@code max_megabytes}, the file
 * is closed and renamed with a timestamp before its extension, and a new one started. The files
 * together never take more than {@code max_total_megabytes}: before a write that would, the oldest
 * rotated files are deleted. The check counts what the write can cost at worst (with zstd, the
 * compressor's bound on what it holds), so the budget holds at every moment, not just on average.
 *
 * <p>A file left at {@code path} by an earlier run (perhaps killed mid-write) is rotated at start,
 * never appended to: a record cut off at its end would swallow the first new one. Rotated files
 * already there count against the budget. Not thread-safe: the exporter serialises calls.
 */
final class RotatingFile implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(RotatingFile.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS");
  /** A zstd frame's header and its end (last block header and checksum), which the bound leaves out. */
  private static final long ZSTD_FRAME_OVERHEAD = 64;
  private static final int BUFFER_BYTES = 64 << 10;
  /** Level 1: 98% of level 3's ratio on spans for 70% of its CPU (BENCHMARKS.md, "Recording overhead"). */
  static final int ZSTD_LEVEL = 1;

  private final Path path;
  private final String stem;
  private final String extension;
  private final Pattern rotatedName;
  private final Rotation rotation;
  private final boolean zstd;
  private final Clock clock;
  /** Flush the compressor after this much input, so its worst case stays a small part of a file. */
  private final long zstdFlushBytes;

  private final Deque<RotatedFile> rotated = new ArrayDeque<>();
  private long rotatedBytes;

  private OutputStream out; // what records are written to: the compressor or the counter
  private CountingStream counted; // the bytes that reach the file
  private long pendingInput; // written to the compressor since its last flush
  private long recordsInFile;
  private long rotatedBytesWritten; // bytes this instance wrote to files it has finished
  private boolean broken; // a write failed: the file may end inside a record

  private volatile long writtenBytes;
  private volatile long writtenRecords;
  private volatile long rotations;
  private volatile long deletedFiles;

  private record RotatedFile(Path path, long bytes) {}

  RotatingFile(Path path, Rotation rotation, boolean zstd, Clock clock) {
    this.path = path.toAbsolutePath().normalize();
    String name = this.path.getFileName().toString();
    int dot = name.indexOf('.', 1);
    this.stem = dot < 0 ? name : name.substring(0, dot);
    this.extension = dot < 0 ? "" : name.substring(dot);
    this.rotatedName = Pattern.compile(Pattern.quote(stem)
        + "-(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3})(?:-(\\d+))?" + Pattern.quote(extension));
    this.rotation = rotation;
    this.zstd = zstd;
    this.clock = clock;
    this.zstdFlushBytes = Math.max(4 << 10, Math.min(1 << 20, rotation.maxFileBytes() / 16));
  }

  /** Creates the directory, takes stock of earlier files, and opens the file to write. */
  void open() throws IOException {
    Files.createDirectories(path.getParent());
    List<Path> earlier = new ArrayList<>();
    try (Stream<Path> files = Files.list(path.getParent())) {
      files.filter(p -> rotatedName.matcher(p.getFileName().toString()).matches()).forEach(earlier::add);
    }
    earlier.sort(Comparator.comparing(p -> sortKey(p.getFileName().toString())));
    for (Path p : earlier) {
      long size = Files.size(p);
      rotated.addLast(new RotatedFile(p, size));
      rotatedBytes += size;
    }
    if (Files.exists(path) && Files.size(path) > 0) {
      keep(path); // an earlier run's file: finished as it is
    }
    retain(0);
    startFile();
  }

  /**
   * Writes one record, rotating and deleting first as needed.
   *
   * @return false when the record is larger than a whole file may be, and was not written
   */
  boolean write(byte[] head, byte[] body) throws IOException {
    if (out == null || broken) {
      restart();
    }
    long n = (long) head.length + body.length;
    if (worstSizeWith(n) > rotation.maxFileBytes() && recordsInFile > 0) {
      rotate();
    }
    if (worstSizeWith(n) > rotation.maxFileBytes()) {
      return false;
    }
    retain(worstSizeWith(n));
    try {
      out.write(head);
      out.write(body);
      recordsInFile++;
      writtenRecords++;
      if (zstd) {
        pendingInput += n;
        if (pendingInput >= zstdFlushBytes) {
          flushCompressor();
        }
      }
    } catch (IOException e) {
      broken = true;
      throw e;
    }
    writtenBytes = rotatedBytesWritten + counted.count;
    return true;
  }

  /** Makes what was written readable from the file (the compressor ends its block). */
  void flush() throws IOException {
    if (out == null) {
      return;
    }
    if (zstd) {
      flushCompressor();
    } else {
      out.flush();
    }
    writtenBytes = rotatedBytesWritten + counted.count;
  }

  private void flushCompressor() throws IOException {
    out.flush();
    pendingInput = 0;
  }

  /** The size the file being written can reach with {@code n} more bytes of records, at worst. */
  private long worstSizeWith(long n) {
    if (!zstd) {
      return counted.count + n;
    }
    return counted.count + Zstd.compressBound(pendingInput + n) + ZSTD_FRAME_OVERHEAD;
  }

  /** Deletes rotated files, oldest first, until {@code needed} more bytes fit the budget. */
  private void retain(long needed) {
    Instant cutoff = rotation.maxDays() > 0 ? clock.instant().minus(Duration.ofDays(rotation.maxDays())) : null;
    while (!rotated.isEmpty()) {
      RotatedFile oldest = rotated.peekFirst();
      boolean overBudget = rotatedBytes + needed > rotation.maxTotalBytes();
      boolean tooMany = rotation.maxBackups() > 0 && rotated.size() > rotation.maxBackups();
      boolean tooOld = cutoff != null && modified(oldest.path()).isBefore(cutoff);
      if (!overBudget && !tooMany && !tooOld) {
        return;
      }
      rotated.removeFirst();
      rotatedBytes -= oldest.bytes();
      try {
        Files.deleteIfExists(oldest.path());
        deletedFiles++;
        log.debug("deleted {} ({} bytes) to stay within the disk budget", oldest.path(), oldest.bytes());
      } catch (IOException e) {
        // Cannot happen for a file we own in a directory we write; if it does, say so loudly.
        log.error("cannot delete {} to stay within max_total_megabytes: {}", oldest.path(), e.toString());
      }
    }
  }

  /**
   * After a failed write (a full disk): the file may end inside a record, so it is finished as it
   * is (readers skip a cut-off record) and the next record starts a new one.
   */
  void restart() throws IOException {
    try {
      finishFile();
    } catch (IOException e) {
      log.debug("closing {} after a failed write: {}", path, e.toString());
    }
    if (Files.exists(path) && Files.size(path) > 0) {
      keep(path);
    }
    retain(0);
    startFile();
  }

  private void rotate() throws IOException {
    finishFile();
    keep(path);
    rotations++;
    retain(0);
    startFile();
  }

  /** Renames a finished file at {@code path} to its rotated name and counts it. */
  private void keep(Path file) throws IOException {
    LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), rotation.localtime() ? ZoneId.systemDefault() : ZoneOffset.UTC);
    String base = stem + "-" + STAMP.format(now);
    Path target = file.resolveSibling(base + extension);
    for (int i = 1; Files.exists(target); i++) {
      target = file.resolveSibling(base + "-" + i + extension);
    }
    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    long size = Files.size(target);
    rotated.addLast(new RotatedFile(target, size));
    rotatedBytes += size;
  }

  private void startFile() throws IOException {
    counted = new CountingStream(new BufferedOutputStream(Files.newOutputStream(path), BUFFER_BYTES));
    out = zstd ? new ZstdOutputStreamNoFinalizer(counted, ZSTD_LEVEL) : counted;
    pendingInput = 0;
    recordsInFile = 0;
    broken = false;
  }

  private void finishFile() throws IOException {
    if (out == null) {
      return;
    }
    try {
      out.close(); // ends the zstd frame, flushes the buffer, closes the file
    } finally {
      rotatedBytesWritten += counted.count;
      writtenBytes = rotatedBytesWritten;
      out = null;
    }
  }

  @Override
  public void close() throws IOException {
    finishFile();
  }

  /** Bytes on disk now, at worst: the rotated files and what the file being written can reach. */
  long diskBytes() {
    return rotatedBytes + (out == null ? 0 : worstSizeWith(0));
  }

  long writtenBytes() {
    return writtenBytes;
  }

  long writtenRecords() {
    return writtenRecords;
  }

  long rotations() {
    return rotations;
  }

  long deletedFiles() {
    return deletedFiles;
  }

  Path path() {
    return path;
  }

  /** Rotated names sort by their timestamp, then by the counter that breaks ties. */
  private String sortKey(String name) {
    Matcher m = rotatedName.matcher(name);
    if (!m.matches()) {
      return name;
    }
    String counter = m.group(2) == null ? "0" : m.group(2);
    return m.group(1) + "-" + "0".repeat(Math.max(0, 10 - counter.length())) + counter;
  }

  private static Instant modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toInstant();
    } catch (NoSuchFileException e) {
      return Instant.EPOCH;
    } catch (IOException e) {
      return Instant.MAX;
    }
  }

  /** Counts the bytes on their way to the file (after compression). */
  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
