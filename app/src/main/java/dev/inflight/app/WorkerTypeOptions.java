package dev.inflight.app;

import dev.inflight.tools.analyze.WorkerTypeSet;
import dev.inflight.service.config.ConfigLoader;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.service.config.LoadedConfig;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.WorkerType;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.config.ComponentConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Which worker types {@code analyze} and {@code convert} sort spans into: {@code --worker-type} on
 * the command line, every span name its own type ({@code --by-name}), or a concurrency connector's
 * {@code worker_types} from {@code --config} (default: the embedded otel-collector.yaml).
 */
final class WorkerTypeOptions {
  static final String CONNECTOR_TYPE = "concurrency";

  @Mixin ConfigOptions config;

  @Option(
      names = "--connector",
      paramLabel = "ID",
      description = "The concurrency connector whose worker_types to use when the config has several,"
          + " e.g. concurrency/db.")
  String connector;

  @Option(
      names = "--worker-type",
      paramLabel = "NAME=GLOB[,GLOB...][:CAPACITY]",
      description = "A worker type, instead of the config's; repeatable, first match wins, e.g."
          + " --worker-type 'db=db *,sql *:16'. A pattern may be regex:<RE2>.")
  List<String> workerTypes = new ArrayList<>();

  @Option(names = "--by-name", description = "Every span name is its own worker type.")
  boolean byName;

  /** The worker types chosen, where they came from, and the connector's instance_attribute (or null). */
  record Resolved(WorkerTypeSet types, String source, String instanceAttribute) {}

  /** Thrown after the problems were printed: the command exits {@link ExitCodes#INVALID_CONFIG}. */
  static final class ConfigFailure extends Exception {
    ConfigFailure() {
      super(null, null, false, false);
    }
  }

  /**
   * @throws ParameterException on conflicting options or a malformed {@code --worker-type}
   * @throws ConfigFailure when the config does not load or has no usable connector (printed to {@code err})
   */
  Resolved resolve(CommandLine cl, String command, PrintWriter err) throws ConfigFailure {
    boolean configGiven = !config.configs.isEmpty() || !config.sets.isEmpty() || connector != null;
    if (byName && !workerTypes.isEmpty()) {
      throw new ParameterException(cl, "--by-name and --worker-type exclude each other: give one");
    }
    if ((byName || !workerTypes.isEmpty()) && configGiven) {
      throw new ParameterException(cl, (byName ? "--by-name" : "--worker-type")
          + " replaces the config's worker types: give it or --config/--set/--connector, not both");
    }
    if (byName) {
      return new Resolved(WorkerTypeSet.byName(), "--by-name (every span name is a worker type)", null);
    }
    if (!workerTypes.isEmpty()) {
      List<WorkerType> types = new ArrayList<>();
      for (String spec : workerTypes) {
        WorkerType t;
        try {
          t = WorkerTypeSet.parse(spec);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(cl, "--worker-type: " + e.getMessage());
        }
        if (types.stream().anyMatch(o -> o.name().equals(t.name()))) {
          throw new ParameterException(cl, "--worker-type: name \"" + t.name() + "\" is given twice");
        }
        types.add(t);
      }
      return new Resolved(WorkerTypeSet.of(types), "--worker-type", null);
    }
    ComponentId wanted;
    try {
      wanted = connector == null ? null : ComponentId.parse(connector);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, "--connector: " + e.getMessage());
    }
    LoadedConfig loaded;
    try {
      loaded = new ConfigLoader(FactoryRegistry.load()).load(config.sources(), config.sets);
    } catch (IOException e) {
      err.println("inflight " + command + ": " + e.getMessage());
      throw new ConfigFailure();
    } catch (InvalidConfigException e) {
      e.problems().forEach(p -> err.println("error: " + p));
      err.println("inflight " + command + ": the config is invalid (" + e.problems().size()
          + (e.problems().size() == 1 ? " problem" : " problems") + "); its worker types cannot be used");
      throw new ConfigFailure();
    }
    Map<ComponentId, ConcurrencyConnectorConfig> found = new LinkedHashMap<>();
    for (Map.Entry<ComponentId, ComponentConfig> c : loaded.config().of(ComponentKind.CONNECTOR).entrySet()) {
      if (c.getKey().type().equals(CONNECTOR_TYPE) && c.getValue() instanceof ConcurrencyConnectorConfig cc) {
        found.put(c.getKey(), cc);
      }
    }
    String file = config.configs.isEmpty() ? ConfigOptions.EMBEDDED_NAME : String.join(", ", config.configs);
    ComponentId id;
    if (wanted != null) {
      if (!found.containsKey(wanted)) {
        err.println("inflight " + command + ": " + file + " has no connector " + wanted
            + (found.isEmpty() ? "" : "; it has " + names(found)));
        throw new ConfigFailure();
      }
      id = wanted;
    } else if (found.isEmpty()) {
      err.println("inflight " + command + ": " + file + " has no concurrency connector: give --worker-type"
          + " NAME=GLOB or --by-name");
      throw new ConfigFailure();
    } else if (found.size() > 1) {
      err.println("inflight " + command + ": " + file + " has " + found.size() + " concurrency connectors ("
          + names(found) + "): pick one with --connector");
      throw new ConfigFailure();
    } else {
      id = found.keySet().iterator().next();
    }
    ConcurrencyConnectorConfig cc = found.get(id);
    String instance = cc.instanceAttribute().isEmpty() ? null : cc.instanceAttribute();
    return new Resolved(WorkerTypeSet.of(cc), file + ", connector " + id, instance);
  }

  private static String names(Map<ComponentId, ?> found) {
    return String.join(", ", found.keySet().stream().map(ComponentId::toString).toList());
  }
}
