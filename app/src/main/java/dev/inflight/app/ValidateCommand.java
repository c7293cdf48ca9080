package dev.inflight.app;

import dev.inflight.service.config.ConfigLoader;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.service.config.LoadedConfig;
import dev.inflight.component.FactoryRegistry;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Loads and checks a config without starting anything: exit 0 when valid, 2 with every problem. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Check a config without running it: every problem with its file, line and YAML path.",
      "Exit code 0 when valid, 2 when not."
    })
final class ValidateCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Override
  public Integer call() {
    LoadedConfig loaded;
    try {
      loaded = new ConfigLoader(FactoryRegistry.load()).load(config.sources(), config.sets);
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      return ExitCodes.INVALID_CONFIG;
    } catch (InvalidConfigException e) {
      e.warnings().forEach(w -> System.err.println("warning: " + w));
      e.problems().forEach(p -> System.err.println("error: " + p));
      int n = e.problems().size();
      System.err.println("config is invalid: " + n + (n == 1 ? " problem" : " problems"));
      return ExitCodes.INVALID_CONFIG;
    }
    loaded.warnings().forEach(w -> System.err.println("warning: " + w));
    System.out.println("config is valid");
    return ExitCodes.OK;
  }
}
