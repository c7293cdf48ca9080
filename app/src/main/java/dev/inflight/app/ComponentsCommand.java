package dev.inflight.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.inflight.service.config.ConfigMapper;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.ConnectorFactory;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.Factory;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.ProcessorFactory;
import dev.inflight.component.ReceiverFactory;
import dev.inflight.component.Signal;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists every component type of this build with the signals it handles and its default config. */
@Command(
    name = "components",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "List the receiver, processor, exporter, connector and extension types and their default configs (YAML).")
final class ComponentsCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    System.out.print(render(FactoryRegistry.load()));
    return ExitCodes.OK;
  }

  static String render(FactoryRegistry registry) throws Exception {
    ObjectMapper yaml = ConfigMapper.configure(YAMLMapper.builder(
            YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build()))
        .build();
    ObjectNode root = yaml.createObjectNode();
    root.put("version", Version.VALUE);
    for (ComponentKind kind : ComponentKind.values()) {
      ObjectNode section = root.putObject(kind.section());
      for (Factory<?> f : registry.factories(kind)) {
        ObjectNode entry = section.putObject(f.type());
        if (!f.description().isEmpty()) {
          entry.put("description", f.description());
        }
        if (!f.aliases().isEmpty()) {
          f.aliases().forEach(entry.putArray("also_known_as")::add);
        }
        ArrayNode signals = signals(f, entry);
        if (signals != null && signals.isEmpty()) {
          entry.remove("signals");
        }
        entry.set("default_config", yaml.valueToTree(f.createDefaultConfig()));
      }
    }
    return yaml.writeValueAsString(root);
  }

  private static ArrayNode signals(Factory<?> f, ObjectNode entry) {
    Set<Signal> signals = new TreeSet<>();
    if (f instanceof ReceiverFactory<?> r) {
      signals.addAll(r.signals());
    } else if (f instanceof ProcessorFactory<?> p) {
      signals.addAll(p.signals());
    } else if (f instanceof ExporterFactory<?> e) {
      signals.addAll(e.signals());
    } else if (f instanceof ConnectorFactory<?> c) {
      ArrayNode routes = entry.putArray("routes");
      c.routes().stream().map(r -> r.from() + " -> " + r.to()).sorted().forEach(routes::add);
      return null;
    } else {
      return null;
    }
    ArrayNode out = entry.putArray("signals");
    signals.forEach(s -> out.add(s.key()));
    return out;
  }
}
