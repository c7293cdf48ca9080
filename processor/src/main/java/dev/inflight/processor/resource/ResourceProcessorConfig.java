package dev.inflight.processor.resource;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code processors.resource}: what to do to the resource attributes of every batch, as the
 * Collector's resource processor does.
 *
 * @param attributes the actions, applied in order, each seeing what the ones before it did;
 *     required (at least one), as in the Collector
 */
public record ResourceProcessorConfig(List<AttributeAction> attributes) implements ComponentConfig {
  public ResourceProcessorConfig {
    // Not List.copyOf: an empty YAML list item binds to null and validate() reports it by index.
    attributes =
        attributes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(attributes));
  }

  /** No actions: the Collector refuses a resource processor without {@code attributes}. */
  public static final ResourceProcessorConfig DEFAULT = new ResourceProcessorConfig(null);

  /**
   * One entry of {@code attributes}.
   *
   * @param key the resource attribute to act on; required
   * @param value the value to set, typed as written in YAML: a string, an integer, a float, a
   *     boolean, or a list or map of those; null when not written
   * @param action what to do, see {@link Action}; required
   * @param fromAttribute take the value from this other resource attribute instead of {@code
   *     value}; empty when not written. If that attribute is absent, the action does nothing.
   */
  public record AttributeAction(String key, Object value, Action action, String fromAttribute) {
    public AttributeAction {
      key = key == null ? "" : key;
      fromAttribute = fromAttribute == null ? "" : fromAttribute;
    }

    /** {@code action: upsert} with a constant value: the common case. */
    public static AttributeAction upsert(String key, Object value) {
      return new AttributeAction(key, value, Action.UPSERT, null);
    }

    void validate(ConfigProblems problems) {
      if (key.isEmpty()) {
        problems.add("key", "key must not be empty");
      }
      if (action == null) {
        problems.add("action", "action is required: insert, update, upsert or delete");
        return;
      }
      boolean hasValue = value != null;
      boolean hasFrom = !fromAttribute.isEmpty();
      switch (action) {
        case INSERT, UPDATE, UPSERT -> {
          if (!hasValue && !hasFrom) {
            problems.add(
                "value", "value or from_attribute is required for action " + action.key());
          } else if (hasValue && hasFrom) {
            problems.add(
                "value",
                "value and from_attribute cannot both be set; action " + action.key()
                    + " takes its value from one of them");
          }
          if (hasValue) {
            try {
              dev.inflight.processor.internal.attraction.AnyValues.of(value);
            } catch (IllegalArgumentException e) {
              problems.add("value", "value " + e.getMessage());
            }
          }
        }
        case DELETE -> {
          if (hasValue) {
            problems.add("value", "value is not used by action delete; remove it");
          }
          if (hasFrom) {
            problems.add("from_attribute", "from_attribute is not used by action delete; remove it");
          }
        }
      }
    }
  }

  /**
   * The Collector's attribute actions (its {@code attraction} package) that make sense on a
   * resource. Written in lowercase; uppercase is accepted too, as in the Collector.
   */
  public enum Action {
    /** Sets the attribute only where it is absent. */
    @JsonProperty("insert") @JsonAlias("INSERT") INSERT,
    /** Sets the attribute only where it is present. */
    @JsonProperty("update") @JsonAlias("UPDATE") UPDATE,
    /** Sets the attribute, present or not. */
    @JsonProperty("upsert") @JsonAlias("UPSERT") UPSERT,
    /** Removes the attribute. */
    @JsonProperty("delete") @JsonAlias("DELETE") DELETE;

    /** The spelling in config: {@code insert}, ... */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Override
  public void validate(ConfigProblems problems) {
    if (attributes.isEmpty()) {
      problems.add(
          "attributes",
          "attributes must list at least one action, e.g. {key: deployment.environment, value: prod,"
              + " action: upsert}");
      return;
    }
    ConfigProblems list = problems.at("attributes");
    for (int i = 0; i < attributes.size(); i++) {
      AttributeAction a = attributes.get(i);
      if (a == null) {
        list.at(i).add("attributes[" + i + "] must be a map with key, action and value");
        continue;
      }
      a.validate(list.at(i));
    }
  }
}
