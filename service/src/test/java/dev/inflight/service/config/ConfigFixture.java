package dev.inflight.service.config;

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

  /** Type {@code nop}, traces and metrics; a traces receiver it creates never emits. */
  public static final class NopReceiverFactory implements ReceiverFactory<NopConfig> {
    @Override public String type() { return "nop"; }
    @Override public Class<NopConfig> configClass() { return NopConfig.class; }
    @Override public NopConfig createDefaultConfig() { return new NopConfig(); }
    @Override public Set<Signal> signals() { return Set.of(Signal.TRACES, Signal.METRICS); }

    @Override
    public Receiver createTraces(CreateSettings settings, NopConfig config, TracesConsumer next) {
      return new Receiver() {};
    }
  }

  /** Type {@code nop}, traces and metrics; a traces exporter it creates drops what it gets. */
  public static final class NopExporterFactory implements ExporterFactory<NopConfig> {
    @Override public String type() { return "nop"; }
    @Override public Class<NopConfig> configClass() { return NopConfig.class; }
    @Override public NopConfig createDefaultConfig() { return new NopConfig(); }
    @Override public Set<Signal> signals() { return Set.of(Signal.TRACES, Signal.METRICS); }

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
