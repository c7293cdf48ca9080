package dev.inflight.service.config;

import java.util.List;
import java.util.stream.Collectors;

/** The config was refused as a whole; {@link #problems()} has every reason, one per line. */
public final class InvalidConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<LocatedProblem> problems;
  private final transient List<String> warnings;

  public InvalidConfigException(List<LocatedProblem> problems, List<String> warnings) {
    super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the config:\n"
        + problems.stream().map(LocatedProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
    this.warnings = List.copyOf(warnings);
  }

  public List<LocatedProblem> problems() {
    return problems;
  }

  public List<String> warnings() {
    return warnings;
  }
}
