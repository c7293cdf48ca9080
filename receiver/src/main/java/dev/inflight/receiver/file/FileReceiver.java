package dev.inflight.receiver.file;

import dev.inflight.recording.RecordingFiles;
import dev.inflight.recording.RecordingReader;

import dev.inflight.component.Consumer;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Host;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Receiver;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.SignalType;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.config.DurationFormat;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.MalformedDataException;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.SignalData;
import dev.inflight.pdata.Traces;
import dev.inflight.component.telemetry.ReceiverMetrics;
import dev.inflight.recording.RecordingReader.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * One {@code file} receiver: on start, a daemon thread resolves {@code include} (minus {@code
 * exclude}) to files, oldest first, reads them record by record with {@link RecordingReader} and
 * pushes each record to the pipeline of its signal, paced by a {@link ReplayPacer}. Then it logs one
 * summary line and stays idle until shutdown, as the Collector's file-reading receivers do: the
 * service keeps running (its connectors still hold open windows; shutdown flushes them).
 *
 * <p>Nothing read is dropped for back-pressure: a retryable refusal waits (the refusal's {@code
 * retry_after}, else a backoff from {@value #FIRST_BACKOFF_MS}ms doubling to {@value
 * #MAX_BACKOFF_MS}ms) and pushes the same record again, until it is taken or the receiver shuts
 * down. A permanent refusal is logged and counted as refused, and reading goes on.
 */
final class FileReceiver implements Receiver {
  static final long FIRST_BACKOFF_MS = 100;
  static final long MAX_BACKOFF_MS = 5_000;
  /** How long shutdown waits for the reading thread to notice the interrupt. */
  static final long STOP_WAIT_SECONDS = 5;

  private final CreateSettings settings;
  private final FileReceiverConfig config;
  private final ReplayPacer.Clock clock;
  private final Logger log;
  /** The pipeline of each signal that lists this receiver, as generic consumers. */
  private final Map<Signal, Consumer<?>> consumers = new ConcurrentHashMap<>();

  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile Thread reader;
  private volatile Summary summary;

  /**
   * What one replay did.
   *
   * @param records records read from the files (whatever became of them)
   * @param spans spans the traces pipeline took
   * @param points metric points the metrics pipeline took
   * @param logRecords log records the logs pipeline took
   * @param refusedSpans spans refused permanently (counted as refused)
   * @param refusedPoints metric points refused permanently
   * @param refusedLogRecords log records refused permanently
   * @param retries retryable refusals, each followed by a wait and the same record again
   * @param skippedNoPipeline records of a signal no pipeline of this receiver takes
   * @param skippedDamaged records the reader skipped (cut off at the end of a file, damaged) or that
   *     are not a valid request
   * @param truncatedFiles files that end inside a record
   * @param completed false when shutdown stopped the replay before the end
   */
  record Summary(
      int files,
      long records,
      long spans,
      long points,
      long logRecords,
      long refusedSpans,
      long refusedPoints,
      long refusedLogRecords,
      long retries,
      long skippedNoPipeline,
      long skippedDamaged,
      int truncatedFiles,
      long gapsShortened,
      Duration elapsed,
      boolean completed) {}

  FileReceiver(CreateSettings settings, FileReceiverConfig config, ReplayPacer.Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.log = settings.logger();
  }

  <T extends SignalData, C> void consumer(SignalType<T, C> type, C next) {
    consumers.put(type.signal(), type.generic(Objects.requireNonNull(next, "next")));
  }

  void tracesConsumer(TracesConsumer next) {
    consumer(SignalType.TRACES, next);
  }

  void metricsConsumer(MetricsConsumer next) {
    consumer(SignalType.METRICS, next);
  }

  void logsConsumer(LogsConsumer next) {
    consumer(SignalType.LOGS, next);
  }

  @Override
  public void start(Host host) {
    if (!started.compareAndSet(false, true) || stopped.get()) {
      return;
    }
    Thread t = new Thread(this::run, "receiver-" + settings.id().toString().replace('/', '-') + "-reader");
    t.setDaemon(true);
    reader = t;
    t.start();
  }

  @Override
  public void shutdown() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    Thread t = reader;
    if (t == null) {
      return;
    }
    t.interrupt();
    try {
      t.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
      if (t.isAlive()) {
        log.warn("the reading thread did not stop within {}s (a consumer does not return)", STOP_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until the replay ended (all read, or stopped); for tests. */
  boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** What the replay did, once it has ended; null before. */
  Summary summary() {
    return summary;
  }

  private void run() {
    try {
      new Replay().run();
    } catch (RuntimeException | Error e) {
      log.error("replay failed", e);
    } finally {
      finished.countDown();
    }
  }

  /** The files to read: every file {@code include} names now, minus {@code exclude}, oldest first. */
  List<Path> files() throws IOException {
    Map<Path, Path> found = new LinkedHashMap<>();
    for (String pattern : config.include()) {
      List<Path> matched = RecordingFiles.matches(pattern);
      if (matched.isEmpty()) {
        log.warn("include {} matches no file (yet): nothing read for it", pattern);
      }
      for (Path p : matched) {
        found.putIfAbsent(p.toAbsolutePath().normalize(), p);
      }
    }
    Set<Path> excluded = new HashSet<>();
    for (String pattern : config.exclude()) {
      for (Path p : RecordingFiles.matches(pattern)) {
        excluded.add(p.toAbsolutePath().normalize());
      }
    }
    List<Path> files = new ArrayList<>();
    found.forEach((key, p) -> {
      if (!excluded.contains(key)) {
        files.add(p);
      }
    });
    // As RecordingFiles.resolve: in the order they were written (rotated files are renamed when
    // finished, so the file written last comes last), then by name.
    files.sort(Comparator.comparing(FileReceiver::modified).thenComparing(Path::toString));
    return files;
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** One run over the files; its counters. */
  private final class Replay {
    private final ReceiverMetrics counts = settings.telemetry().receiverMetrics("file");
    private final ReplayPacer pacer;
    private final long startNanos = clock.nanoTime();
    private int files;
    private long records;
    private final long[] accepted = new long[Signal.values().length]; // items taken, by signal
    private final long[] refused = new long[Signal.values().length]; // items refused for good, by signal
    private long retries;
    private long skippedNoPipeline;
    private long skippedDamaged;
    private int truncatedFiles;
    private final Set<Signal> warnedNoPipeline = EnumSet.noneOf(Signal.class);

    Replay() {
      double speed = config.replay().speedFactor();
      pacer = ReplayPacer.create(speed, config.replay().maxGap(), clock, (gap, max) ->
          log.info("a gap of {} between two records is shortened to replay.max_gap {}",
              DurationFormat.format(Duration.ofNanos(gap)), DurationFormat.format(Duration.ofNanos(max))));
    }

    void run() {
      boolean completed = false;
      List<Path> paths = List.of();
      try {
        paths = files();
        if (paths.isEmpty()) {
          log.warn("no recording file to read (include {}{}); the receiver stays idle", config.include(),
              config.exclude().isEmpty() ? "" : ", exclude " + config.exclude());
        } else {
          log.info("replaying {} file{} at speed {}: {}", paths.size(), paths.size() == 1 ? "" : "s",
              ReplayPacer.formatSpeed(pacer.speed()), names(paths));
        }
        for (Path file : paths) {
          if (stopped.get()) {
            break;
          }
          read(file);
        }
        completed = !stopped.get();
      } catch (InterruptedException e) {
        // shutdown
      } catch (IOException e) {
        log.error("cannot list the recording files: {}", e.toString());
      }
      Duration elapsed = Duration.ofNanos(clock.nanoTime() - startNanos);
      summary = new Summary(files, records, accepted[Signal.TRACES.ordinal()], accepted[Signal.METRICS.ordinal()],
          accepted[Signal.LOGS.ordinal()], refused[Signal.TRACES.ordinal()], refused[Signal.METRICS.ordinal()],
          refused[Signal.LOGS.ordinal()], retries, skippedNoPipeline, skippedDamaged, truncatedFiles,
          pacer.gapsShortened(), elapsed, completed);
      Summary s = summary;
      if (!paths.isEmpty()) {
        log.info("{} {} of {} file{} in {}: {} records, {} spans{}{}{}, {} records skipped ({} without a pipeline,"
                + " {} cut off or damaged){}{}{}",
            completed ? "replayed" : "stopped after", files, paths.size(), paths.size() == 1 ? "" : "s",
            seconds(elapsed), records, s.spans(),
            s.points() > 0 ? ", " + s.points() + " metric points" : "",
            s.logRecords() > 0 ? ", " + s.logRecords() + " log records" : "",
            s.refusedSpans() + s.refusedPoints() + s.refusedLogRecords() > 0
                ? " (" + s.refusedSpans() + " spans, " + s.refusedPoints() + " points and " + s.refusedLogRecords()
                    + " log records refused)" : "",
            skippedNoPipeline + skippedDamaged, skippedNoPipeline, skippedDamaged,
            truncatedFiles > 0 ? ", " + truncatedFiles + " file" + (truncatedFiles == 1 ? "" : "s") + " truncated" : "",
            retries > 0 ? ", " + retries + " retries after back-pressure" : "",
            completed ? "; idle until shutdown" : "");
      }
    }

    private void read(Path file) throws InterruptedException {
      RecordingReader in;
      try {
        in = RecordingReader.open(file, warning -> log.warn("{}", warning));
      } catch (IOException e) {
        log.warn("cannot read {}: {}", file, e.toString());
        return;
      }
      files++;
      try (in) {
        Record r;
        while ((r = in.next()) != null) {
          if (stopped.get()) {
            throw new InterruptedException();
          }
          records++;
          switch (r.kind()) {
            case TRACES -> push(file, r, SignalType.TRACES, Traces::ofEncoded);
            case METRICS -> push(file, r, SignalType.METRICS, Metrics::ofEncoded);
            case LOGS -> push(file, r, SignalType.LOGS, Logs::ofEncoded);
          }
        }
      } catch (IOException e) {
        if (stopped.get()) {
          throw new InterruptedException(); // the interrupt of a shutdown closed the file
        }
        log.warn("{}: reading stopped: {}", file, e.toString());
      } finally {
        skippedDamaged += in.skipped();
        if (in.truncated()) {
          truncatedFiles++;
        }
      }
    }

    /**
     * Hands one record to the pipeline of its signal, paced by its event time, and counts what
     * became of its items.
     */
    private <T extends SignalData> void push(Path file, Record r, SignalType<T, ?> type,
        Function<byte[], T> wrap) throws InterruptedException {
      Signal signal = type.signal();
      @SuppressWarnings("unchecked") // consumer() puts each signal's consumer under its signal
      Consumer<T> next = (Consumer<T>) consumers.get(signal);
      if (next == null) {
        skippedNoPipeline++;
        if (warnedNoPipeline.add(signal)) {
          log.info("{} holds {} but no {} pipeline lists this receiver: skipping {} records", file, signal, signal,
              signal);
        }
        return;
      }
      T batch = wrap.apply(r.encoded());
      int n;
      try {
        n = batch.itemCount();
      } catch (MalformedDataException e) {
        skippedDamaged++;
        log.warn("{}: record {} skipped: {}", file, records, e.getMessage());
        return;
      }
      if (n == 0) {
        return; // as the otlp receiver: an empty request is not passed on
      }
      pacer.await(EventTime.of(r));
      Boolean taken = deliver(() -> next.consume(batch), n, type.items());
      if (taken == null) {
        return;
      }
      if (taken) {
        counts.accepted(signal, n);
        accepted[signal.ordinal()] += n;
      } else {
        counts.refused(signal, n);
        refused[signal.ordinal()] += n;
      }
    }

    /**
     * Pushes until the pipeline takes the record or refuses it for good.
     *
     * @return true when taken, false when refused (permanently, or the consumer failed)
     */
    private Boolean deliver(Push push, int n, String what) throws InterruptedException {
      long backoffMs = FIRST_BACKOFF_MS;
      while (true) {
        try {
          push.push();
          return true;
        } catch (Refusal refusal) {
          if (!refusal.isRetryable()) {
            log.warn("the pipeline refused {} {} (permanently, not retried): {}", n, what, refusal.getMessage());
            return false;
          }
          long waitMs = refusal.retryAfter().map(Duration::toMillis).orElse(backoffMs);
          waitMs = Math.max(1, Math.min(MAX_BACKOFF_MS, waitMs));
          backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
          retries++;
          log.debug("the pipeline refused {} {} (retryable: {}); sending them again in {}ms", n, what,
              refusal.getMessage(), waitMs);
          if (stopped.get()) {
            throw new InterruptedException();
          }
          clock.sleepNanos(TimeUnit.MILLISECONDS.toNanos(waitMs));
        } catch (RuntimeException e) {
          log.error("{} {} could not be handed on", n, what, e);
          return false;
        }
      }
    }
  }

  @FunctionalInterface
  private interface Push {
    void push() throws Refusal;
  }

  private static String names(List<Path> paths) {
    List<String> names = new ArrayList<>();
    for (Path p : paths.subList(0, Math.min(5, paths.size()))) {
      names.add(String.valueOf(p.getFileName()));
    }
    return String.join(", ", names) + (paths.size() > 5 ? ", ... (" + (paths.size() - 5) + " more)" : "");
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
  }
}
