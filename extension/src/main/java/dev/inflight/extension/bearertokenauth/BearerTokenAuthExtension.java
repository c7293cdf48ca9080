package dev.inflight.extension.bearertokenauth;

import dev.inflight.component.Extension;
import dev.inflight.component.Host;
import dev.inflight.component.auth.ClientAuthenticator;
import dev.inflight.component.auth.ServerAuthenticator;
import dev.inflight.config.configauth.BearerToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * A server and client bearer-token authenticator. With {@code filename}, the file is read at start
 * (a missing or empty file fails the start) and polled every second: a rewritten file (a rotated
 * Kubernetes secret) takes effect from the next request, while a file that disappears or empties
 * keeps the tokens last read, with a warning.
 */
final class BearerTokenAuthExtension implements Extension, ServerAuthenticator, ClientAuthenticator {
  /** How often the token file is looked at. */
  static final long POLL_MILLIS = 1_000;

  private record Tokens(BearerToken check, Map<String, String> clientHeaders) {}

  private final String id;
  private final BearerTokenAuthConfig config;
  private final Logger log;
  private volatile @Nullable Tokens tokens;
  private @Nullable ScheduledExecutorService poller;
  /** What the file looked like when last read, to re-read it only when it changed. */
  private @Nullable String fileVersion;

  BearerTokenAuthExtension(String id, BearerTokenAuthConfig config, Logger log) {
    this.id = id;
    this.config = config;
    this.log = log;
    if (config.filename().isEmpty()) {
      tokens = tokens(config.inlineTokens());
    }
  }

  @Override
  public synchronized void start(Host host) throws IOException {
    if (config.filename().isEmpty() || poller != null) {
      return;
    }
    Path file = Path.of(config.filename());
    String version = version(file);
    List<String> read = read(file);
    if (read.isEmpty()) {
      throw new IOException("extensions." + id + ".filename: " + file + " has no token");
    }
    tokens = tokens(read);
    fileVersion = version;
    ScheduledExecutorService p = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, id.replace('/', '-') + "-token-file");
      t.setDaemon(true);
      return t;
    });
    p.scheduleWithFixedDelay(() -> reread(file), POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    poller = p;
  }

  private synchronized void reread(Path file) {
    try {
      String version = version(file);
      if (version.equals(fileVersion)) {
        return;
      }
      List<String> read = read(file);
      if (read.isEmpty()) {
        log.warn("{} has no token now; keeping the tokens read before", file);
        return;
      }
      tokens = tokens(read);
      fileVersion = version;
      log.info("read {} token(s) again from {}", read.size(), file);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot read {} again ({}); keeping the tokens read before", file, e.toString());
    }
  }

  /** Modification time and size: a rewrite changes one of them. */
  private static String version(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey();
  }

  /** One token per line; blank lines and surrounding whitespace (a trailing newline) ignored. */
  static List<String> read(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private Tokens tokens(List<String> list) {
    String first = list.get(0);
    String value = config.scheme().isEmpty() ? first : config.scheme() + " " + first;
    return new Tokens(new BearerToken(config.header(), config.scheme(), list), Map.of(config.header(), value));
  }

  private Tokens current() {
    Tokens t = tokens;
    if (t == null) {
      throw new IllegalStateException("the " + id + " extension has not started");
    }
    return t;
  }

  @Override
  public @Nullable String reject(Headers headers) {
    Tokens t = tokens;
    return t == null ? "the " + id + " extension has not started" : t.check().reject(headers);
  }

  @Override
  public String challenge() {
    return config.scheme().isEmpty() ? BearerTokenAuthConfig.DEFAULT_SCHEME : config.scheme();
  }

  @Override
  public Map<String, String> headers() {
    return current().clientHeaders();
  }

  @Override
  public synchronized void shutdown() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
