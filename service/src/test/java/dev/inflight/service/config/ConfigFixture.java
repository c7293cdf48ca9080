package dev.inflight.service.config;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.Factory;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.Receiver;
import dev.inflight.component.ReceiverFactory;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesExporter;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.pdata.Traces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a component's config the way a user writes it, through the real {@link ConfigLoader}: shared by the
 * config tests of the component modules (published in this module's test-jar).
 *
 * <p>A config needs a pipeline to hold the component under test, so {@link #nopReceiver()} and {@link
 * #nopExporter()} supply a receiver and an exporter of type {@code nop} that do nothing.
 */
public final class ConfigFixture {
  private ConfigFixture() {}

  public record NopConfig() implements ComponentConfig {}

  /**
   * Type {@code nop}, traces, metrics and logs (any pipeline of a config); a traces receiver it
   * creates never emits.
   */
  public static final class NopReceiverFactory implements ReceiverFactory<NopConfig> {
    @Override public String type() { return "nop"; }
    @Override public Class<NopConfig> configClass() { return NopConfig.class; }
    @Override public NopConfig createDefaultConfig() { return new NopConfig(); }
    @Override public Set<Signal> signals() { return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS); }

    @Override
    public Receiver createTraces(CreateSettings settings, NopConfig config, TracesConsumer next) {
      return new Receiver() {};
    }
  }

  /**
   * Type {@code nop}, traces, metrics and logs (any pipeline of a config); a traces exporter it
   * creates drops what it gets.
   */
  public static final class NopExporterFactory implements ExporterFactory<NopConfig> {
    @Override public String type() { return "nop"; }
    @Override public Class<NopConfig> configClass() { return NopConfig.class; }
    @Override public NopConfig createDefaultConfig() { return new NopConfig(); }
    @Override public Set<Signal> signals() { return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS); }

    @Override
    public TracesExporter createTraces(CreateSettings settings, NopConfig config) {
      return new TracesExporter() {
        @Override
        public void consumeTraces(Traces traces) {}
      };
    }
  }

  public static NopReceiverFactory nopReceiver() {
    return new NopReceiverFactory();
  }

  public static NopExporterFactory nopExporter() {
    return new NopExporterFactory();
  }

  /** Loads {@code yaml} as {@code config.yaml} with exactly {@code factories} registered and no env variable set. */
  public static LoadedConfig load(String yaml, Factory<?>... factories) throws InvalidConfigException {
    return load(yaml, Map.of(), factories);
  }

  /** Loads {@code yaml} as {@code config.yaml} with exactly {@code factories} registered and {@code env} as the environment. */
  public static LoadedConfig load(String yaml, Map<String, String> env, Factory<?>... factories)
      throws InvalidConfigException {
    return new ConfigLoader(FactoryRegistry.of(List.of(factories)), env::get)
        .load(List.of(new ConfigSource("config.yaml", yaml)), List.of());
  }

  /** The problems that refuse {@code yaml}, as {@code config.yaml:LINE: path: message}; fails if it loads. */
  public static List<String> problems(String yaml, Factory<?>... factories) {
    return problems(yaml, Map.of(), factories);
  }

  /**
   * Loads {@code src/test/resources/testdata/NAME} of the module under test (the Collector's {@code
   * testdata/config.yaml}), named {@code testdata/NAME} in problems.
   */
  public static LoadedConfig loadTestdata(String name, Map<String, String> env, Factory<?>... factories)
      throws InvalidConfigException {
    return new ConfigLoader(FactoryRegistry.of(List.of(factories)), env::get)
        .load(List.of(new ConfigSource("testdata/" + name, testdata(name))), List.of());
  }

  /**
   * Loads {@code testdata/NAME} (see {@link #loadTestdata}) and returns {@code kind}'s component
   * {@code id} from it, after checking that the file writes that component exactly as the example of
   * {@code docs/components/DOC} does: the documented example is the one the test loads.
   */
  public static <T extends ComponentConfig> T documentedExample(
      String name, String doc, ComponentKind kind, String id, Map<String, String> env, Factory<?>... factories)
      throws InvalidConfigException {
    String documented = docBlock(doc, kind, id);
    String tested = block(testdata(name), kind, id);
    if (!tested.equals(documented)) {
      throw new AssertionError("testdata/" + name + " writes " + kind.section() + "." + id + " as\n" + tested
          + "\nbut docs/components/" + doc + " as\n" + documented);
    }
    return component(loadTestdata(name, env, factories), kind, id);
  }

  /** The component {@code id} of {@code kind} in a loaded config, as its record. */

  public static <T extends ComponentConfig> T component(LoadedConfig loaded, ComponentKind kind, String id) {
    @SuppressWarnings("unchecked")
    T config = (T) loaded.config().of(kind).get(ComponentId.parse(id));
    if (config == null) {
      throw new AssertionError("no " + kind.section() + "." + id + " in the config");
    }
    return config;
  }

  /** The text of {@code src/test/resources/testdata/NAME}. */
  public static String testdata(String name) {
    return read(Path.of("src/test/resources/testdata", name));
  }

  /**
   * The lines of {@code kind}'s component {@code id} (its {@code  id:} line and everything indented
   * under it) in {@code yaml}: what a testdata file and its component's documented example must share.
   */
  private static String block(String yaml, ComponentKind kind, String id) {
    StringBuilder out = new StringBuilder();
    boolean inSection = false;
    boolean inBlock = false;
    for (String line : yaml.split("\n", -1)) {
      if (!line.isBlank() && !line.startsWith(" ")) {
        inSection = line.strip().equals(kind.section() + ":");
        inBlock = false;
      } else if (inSection && line.startsWith("  ") && !line.startsWith("   ")) {
        inBlock = line.strip().equals(id + ":");
      }
      if (inBlock) {
        out.append(line).append('\n');
      }
    }
    return out.toString().strip();
  }

  /**
   * {@code kind}'s component {@code id} as the first {@code ```yaml} example of {@code
   * docs/components/DOC} that defines it writes it: the block its testdata file repeats.
   */
  private static String docBlock(String doc, ComponentKind kind, String id) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("docs/components"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError("no docs/components above " + Path.of("").toAbsolutePath());
    }
    String markdown = read(dir.resolve("docs/components").resolve(doc));
    String[] parts = markdown.split("```yaml\n");
    for (int i = 1; i < parts.length; i++) { // parts[0] is the text before the first block
      String example = parts[i].substring(0, Math.max(0, parts[i].indexOf("```")));
      if (!block(example, kind, id).isEmpty()) {
        return block(example, kind, id);
      }

    }

    throw new AssertionError("docs/components/" + doc + " has no ```yaml block with " + kind.section() + "." + id);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The problems that refuse {@code yaml} under {@code env}; fails if it loads. */

  public static List<String> problems(String yaml, Map<String, String> env, Factory<?>... factories) {
    try {
      load(yaml, env, factories);
    } catch (InvalidConfigException e) {
      return e.problems().stream().map(LocatedProblem::toString).toList();
    }
    throw new AssertionError("config loaded");
  }
}
