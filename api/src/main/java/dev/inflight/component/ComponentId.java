package dev.inflight.component;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A component's id as written in the config: {@code type} or {@code type/name}, e.g. {@code otlp}
 * or {@code otlphttp/dash0}. The type selects the factory, the name tells instances apart.
 */
public record ComponentId(String type, String name) implements Comparable<ComponentId> {
  // Same rules as the Collector (component/identifiable.go).
  private static final Pattern TYPE = Pattern.compile("[a-zA-Z][0-9a-zA-Z_]{0,62}");
  private static final Pattern NAME = Pattern.compile("[^\\p{Z}\\p{C}\\p{S}]+");

  public ComponentId {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
  }

  public static ComponentId of(String type) {
    return new ComponentId(type, "");
  }

  /**
   * Parses {@code type[/name]}.
   *
   * @throws IllegalArgumentException with a message fit for a config error
   */
  public static ComponentId parse(String id) {
    String s = id.strip();
    int slash = s.indexOf('/');
    String type = slash < 0 ? s : s.substring(0, slash);
    String name = slash < 0 ? "" : s.substring(slash + 1);
    if (type.isEmpty()) {
      throw new IllegalArgumentException("id \"" + id + "\" has an empty type");
    }
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "invalid type \"" + type + "\" in id \"" + id
              + "\": a type starts with a letter and holds only letters, digits and _");
    }
    if (slash >= 0 && name.isEmpty()) {
      throw new IllegalArgumentException("id \"" + id + "\" has an empty name after /");
    }
    if (!name.isEmpty() && !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid name \"" + name + "\" in id \"" + id
              + "\": a name may not hold spaces, control characters or symbols");
    }
    return new ComponentId(type, name);
  }

  @Override
  public String toString() {
    return name.isEmpty() ? type : type + "/" + name;
  }

  @Override
  public int compareTo(ComponentId o) {
    return toString().compareTo(o.toString());
  }
}
