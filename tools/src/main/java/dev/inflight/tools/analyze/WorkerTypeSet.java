package dev.inflight.tools.analyze;

import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.WorkerType;
import dev.inflight.connector.concurrency.NamePattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker types recorded spans are sorted into, classified as the concurrency connector does: a
 * span belongs to the first type whose {@code match} accepts its name (and whose {@code services},
 * if set, accept its {@code service.name}). With {@link #byName()}, every span name is its own type,
 * created as names are seen.
 *
 * <p>Not thread-safe. Classification is cached per (name, service), so the patterns run once per
 * distinct pair.
 */
public final class WorkerTypeSet {
  /** The prefix that makes a pattern an RE2 regex (the connector's). */
  private static final String REGEX_PREFIX = "regex:";

  private final List<String> names = new ArrayList<>();
  private final List<Double> capacities = new ArrayList<>();
  private final List<NamePattern[]> match = new ArrayList<>();
  private final List<NamePattern[]> services = new ArrayList<>();
  private final boolean byName;
  private final boolean filtersServices;
  private final Map<String, Integer> byNameIndex = new HashMap<>();
  private final Map<String, Integer> cache = new HashMap<>();

  private WorkerTypeSet(List<WorkerType> types, boolean byName) {
    this.byName = byName;
    boolean filter = false;
    for (WorkerType t : types) {
      names.add(t.name());
      capacities.add(t.capacity());
      match.add(t.match().stream().map(NamePattern::compile).toArray(NamePattern[]::new));
      NamePattern[] s = t.services().stream().map(NamePattern::compile).toArray(NamePattern[]::new);
      services.add(s);
      filter |= s.length > 0;
    }
    this.filtersServices = filter;
  }

  /**
   * These worker types, in this order.
   *
   * @throws IllegalArgumentException when a pattern does not compile, naming it
   */
  public static WorkerTypeSet of(List<WorkerType> types) {
    return new WorkerTypeSet(types, false);
  }

  /** The worker types of a concurrency connector's config. */
  public static WorkerTypeSet of(ConcurrencyConnectorConfig config) {
    return of(config.workerTypes());
  }

  /** Every span name its own worker type, named as the span. */
  public static WorkerTypeSet byName() {
    return new WorkerTypeSet(List.of(), true);
  }

  /**
   * A worker type as written on the command line: {@code NAME=GLOB[,GLOB...][:CAPACITY]}, e.g.
   * {@code db=db *,sql *:16}. A glob may be {@code regex:<RE2>} (then it takes the rest of the text
   * up to a final {@code :CAPACITY}, commas included). A pattern that itself ends in {@code :}
   * and digits escapes that colon ({@code web=GET host\:8080}).
   *
   * @throws IllegalArgumentException with a message naming what is wrong
   */
  public static WorkerType parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          "worker type \"" + spec + "\" must be NAME=GLOB[,GLOB...][:CAPACITY], e.g. 'db=db *,sql *:16'");
    }
    String name = spec.substring(0, eq).strip();
    String rest = spec.substring(eq + 1);
    Double capacity = null;
    int colon = rest.lastIndexOf(':');
    boolean escaped = colon > 0 && rest.charAt(colon - 1) == '\\'; // "http\\:8080" is a pattern
    if (colon >= 0 && !escaped && rest.substring(colon + 1).strip().matches("[0-9]+(\\.[0-9]+)?")) {
      capacity = Double.parseDouble(rest.substring(colon + 1).strip());
      if (!(capacity > 0)) {
        throw new IllegalArgumentException("worker type \"" + name + "\": capacity must be greater than 0");
      }
      rest = rest.substring(0, colon);
    }
    List<String> globs = new ArrayList<>();
    if (rest.startsWith(REGEX_PREFIX)) {
      globs.add(rest);
    } else {
      for (String g : rest.split(",")) {
        if (!g.isEmpty()) {
          globs.add(g);
        }
      }
    }
    if (globs.isEmpty()) {
      throw new IllegalArgumentException("worker type \"" + name + "\" has no pattern after '='");
    }
    for (String g : globs) {
      try {
        NamePattern.compile(g);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("worker type \"" + name + "\": " + e.getMessage(), e);
      }
    }
    return new WorkerType(name, globs, capacity, null);
  }

  /** Whether every span name is its own type. */
  public boolean isByName() {
    return byName;
  }

  /** Worker types known so far (with {@link #byName()}, grows as names are classified). */
  public int size() {
    return names.size();
  }

  public String name(int type) {
    return names.get(type);
  }

  /** The configured pool size, or null. */
  public Double capacity(int type) {
    return capacities.get(type);
  }

  /** Whether classification depends on {@code service.name} as well as the span name. */
  public boolean filtersServices() {
    return filtersServices;
  }

  /**
   * The worker type of a span, or -1 when none accepts it.
   *
   * @param service the resource's {@code service.name}, or null when it has none
   */
  public int typeOf(String name, String service) {
    if (byName) {
      Integer t = byNameIndex.get(name);
      if (t == null) {
        t = names.size();
        names.add(name);
        capacities.add(null);
        byNameIndex.put(name, t);
      }
      return t;
    }
    String key = filtersServices ? name + '\u0000' + service : name;
    Integer cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    int found = -1;
    for (int t = 0; t < match.size() && found < 0; t++) {
      if (matches(match.get(t), name) && (services.get(t).length == 0 || service != null && matches(services.get(t), service))) {
        found = t;
      }
    }
    if (cache.size() < 1 << 16) {
      cache.put(key, found);
    }
    return found;
  }

  private static boolean matches(NamePattern[] patterns, String s) {
    for (NamePattern p : patterns) {
      if (p.matches(s)) {
        return true;
      }
    }
    return false;
  }
}
