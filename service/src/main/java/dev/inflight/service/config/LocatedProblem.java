package dev.inflight.service.config;

/** A config problem with where it was written: {@code config.yaml:12: exporters.otlp.endpoint: ...}. */
public record LocatedProblem(Location location, String path, String message) {
  @Override
  public String toString() {
    String where = location == null ? "" : location + ": ";
    return path.isEmpty() ? where + message : where + path + ": " + message;
  }
}
