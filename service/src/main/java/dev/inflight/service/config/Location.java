package dev.inflight.service.config;

/**
 * Where a config value was written: a file, line and column (1-based; 0 when unknown), or a {@code
 * --set} flag. Printed as {@code file:line} or, for YAML syntax errors, {@code file:line:column},
 * the form editors jump to.
 */
public record Location(String source, int line, int column) {
  public Location(String source, int line) {
    this(source, line, 0);
  }

  @Override
  public String toString() {
    return line <= 0 ? source : column <= 0 ? source + ":" + line : source + ":" + line + ":" + column;
  }
}
