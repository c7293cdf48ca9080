package dev.inflight.app;

/** What the process exit code says. */
final class ExitCodes {
  static final int OK = 0;
  /** Could not start or stop cleanly: a port in use, a config that does not load for {@code run}. */
  static final int FAILED = 1;
  /** {@code validate}: the config has problems. (picocli also exits 2 on bad command-line usage.) */
  static final int INVALID_CONFIG = 2;

  private ExitCodes() {}
}
