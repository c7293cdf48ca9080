package dev.inflight.processor.attributes;

import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.processor.internal.attraction.ActionConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code processors.attributes}: actions on the attributes of spans, log records and metric data
 * points, as the Collector's attributes processor.
 *
 * @param actions applied in order, each seeing what the ones before it did; required (at least
 *     one), as in the Collector
 * @param include when set, only what matches is changed
 * @param exclude when set, what matches is left alone (checked after {@code include})
 */
public record AttributesProcessorConfig(
    List<ActionConfig> actions, @Nullable MatchProperties include, @Nullable MatchProperties exclude)
    implements ComponentConfig {
  public AttributesProcessorConfig {
    // Not List.copyOf: an empty YAML list item binds to null and validate() reports it by index.
    actions = actions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(actions));
  }

  /** No actions: the Collector refuses an attributes processor without {@code actions}. */
  public static final AttributesProcessorConfig DEFAULT = new AttributesProcessorConfig(null, null, null);

  @Override
  public void validate(ConfigProblems problems) {
    if (actions.isEmpty()) {
      problems.add(
          "actions",
          "actions must list at least one action, e.g. {key: db.statement, action: delete}");
    }
    ConfigProblems list = problems.at("actions");
    for (int i = 0; i < actions.size(); i++) {
      ActionConfig a = actions.get(i);
      if (a == null) {
        list.at(i).add("actions[" + i + "] must be a map with key and action");
        continue;
      }
      a.validate(list.at(i));
    }
    if (include != null) {
      include.validate(problems.at("include"));
    }
    if (exclude != null) {
      exclude.validate(problems.at("exclude"));
    }
  }
}
