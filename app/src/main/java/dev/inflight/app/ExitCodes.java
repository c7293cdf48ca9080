package dev.inflight.app;

/** What the process exit code says. */
final class ExitCodes {
  static final int OK = 0;
  /**
   * Could not start or stop cleanly: a port in use, a config that does not load for {@code run}.
   * For {@code top} and {@code trace}: the query extension answered with an error (an unknown
   * trace, a bad request) or with something that is not its JSON.
   */
  static final int FAILED = 1;
  /** {@code validate}: the config has problems. (picocli also exits 2 on bad command-line usage.) */
  static final int INVALID_CONFIG = 2;

  /**
   * {@code top}, {@code trace}: nothing answered at {@code --url} (connection refused, unknown host,
   * timeout), so a script can tell "inflight is not running" from "the trace is not there".
   */
  static final int UNREACHABLE = 3;

  private ExitCodes() {}
}
