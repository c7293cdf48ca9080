package dev.inflight.component.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects config problems under a path prefix, so a component's {@code validate} names its own
 * keys ({@code "timeout"}) and the problem is reported at the full path ({@code
 * processors.batch.timeout}).
 */
public final class ConfigProblems {
  private final String prefix;
  private final List<ConfigProblem> sink;

  private ConfigProblems(String prefix, List<ConfigProblem> sink) {
    this.prefix = prefix;
    this.sink = sink;
  }

  public static ConfigProblems root() {
    return new ConfigProblems("", new ArrayList<>());
  }

  /** Problems under {@code key} (a map key) of this scope. */
  public ConfigProblems at(String key) {
    return new ConfigProblems(join(prefix, key), sink);
  }

  /** Problems under element {@code index} of the list at this scope. */
  public ConfigProblems at(int index) {
    return new ConfigProblems(prefix + "[" + index + "]", sink);
  }

  /** A problem with this scope as a whole. */
  public void add(String message) {
    sink.add(new ConfigProblem(prefix, message));
  }

  /** A problem with {@code key} of this scope; the message should start with the key's name. */
  public void add(String key, String message) {
    sink.add(new ConfigProblem(join(prefix, key), message));
  }

  /** A problem already located at its full path (found while walking another part of the config). */
  public void add(ConfigProblem problem) {
    sink.add(problem);
  }

  public String path() {
    return prefix;
  }

  public boolean isEmpty() {
    return sink.isEmpty();
  }

  public List<ConfigProblem> all() {
    return Collections.unmodifiableList(sink);
  }

  public static String join(String prefix, String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }
}
