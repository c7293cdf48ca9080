package dev.inflight.service.config;

/** Where a config value was written: a file and line (1-based), or a {@code --set} flag. */
public record Location(String source, int line) {
  @Override
  public String toString() {
    return line > 0 ? source + ":" + line : source;
  }
}
