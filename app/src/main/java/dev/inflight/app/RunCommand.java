package dev.inflight.app;

import dev.inflight.service.config.ConfigLoader;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.service.config.LoadedConfig;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.ServiceView;
import dev.inflight.service.BuildException;
import dev.inflight.service.Service;
import dev.inflight.service.StartException;
import dev.inflight.component.telemetry.ListenException;
import dev.inflight.service.telemetry.SelfLogs;
import dev.inflight.service.telemetry.SelfTelemetry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the pipelines until SIGTERM or SIGINT, then drains and exits 0. A config that does not load,
 * or a component that cannot start (a port in use), prints one line per problem and exits 1.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Run the pipelines of --config (default: the embedded otel-collector.yaml).")
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger("inflight");

  @Mixin ConfigOptions config;

  /**
   * Start everything, then shut down at once: the ./inflight launcher's training run, whose JVM
   * writes the classes a start loads into a CDS archive that later starts map instead of loading.
   */
  @Option(names = "--exit-when-ready", hidden = true)
  boolean exitWhenReady;

  @Override
  public Integer call() {
    return run(config, exitWhenReady);
  }

  static int run(ConfigOptions options) {
    return run(options, false);
  }

  static int run(ConfigOptions options, boolean exitWhenReady) {
    LoadedConfig loaded;
    try {
      loaded = new ConfigLoader(FactoryRegistry.load()).load(options.sources(), options.sets);
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      return ExitCodes.FAILED;
    } catch (InvalidConfigException e) {
      System.err.println("error: invalid configuration");
      e.problems().forEach(p -> System.err.println("  " + p));
      return ExitCodes.FAILED;
    }
    SelfLogs selfLogs = SelfLogs.start(loaded.config().service().telemetry(), Version.VALUE);
    try {
      Logging.configure(loaded.config().service().telemetry().logs(), selfLogs.provider());
    } catch (IllegalArgumentException e) {
      selfLogs.close();
      return fail(e.getMessage());
    }
    try {
      return run(options, exitWhenReady, loaded);
    } finally {
      // After the last line is logged: the batch processor exports what it still holds.
      selfLogs.close();
    }
  }

  private static int run(ConfigOptions options, boolean exitWhenReady, LoadedConfig loaded) {
    log.info("inflight {} starting (pid {}, {} CPUs, max heap {} MiB), config: {}",
        Version.VALUE, ProcessHandle.current().pid(), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        options.configs.isEmpty() ? ConfigOptions.EMBEDDED_NAME : String.join(", ", options.configs));
    loaded.warnings().forEach(w -> log.warn("{}", w));

    SelfTelemetry telemetry;
    try {
      telemetry = SelfTelemetry.start(loaded.config().service().telemetry(), Version.VALUE);
    } catch (ListenException e) {
      return fail("failed to start telemetry: " + e.getMessage());
    }
    Service service;
    try {
      service = Service.build(loaded.config(), FactoryRegistry.load(), telemetry,
          new ServiceView.BuildInfo("inflight", "inflight: OpenTelemetry pipelines that measure concurrency", Version.VALUE));
    } catch (BuildException e) {
      telemetry.close();
      return fail(e.getMessage());
    }

    CountDownLatch stop = new CountDownLatch(1);
    Signals.onTermination(signal -> {
      log.info("received SIG{}, shutting down", signal);
      stop.countDown();
    });
    // Anything else that ends the JVM (System.exit elsewhere, an unhandled signal) still drains.
    Thread hook = new Thread(() -> {
      service.shutdown();
      telemetry.close();
    }, "shutdown-hook");
    Runtime.getRuntime().addShutdownHook(hook);

    try {
      service.start();
    } catch (StartException e) {
      telemetry.close();
      Runtime.getRuntime().removeShutdownHook(hook);
      return fail(e.getMessage());
    }
    log.info("Everything is ready. Begin running and processing data.");
    if (exitWhenReady) {
      stop.countDown();
    }

    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> errors = service.shutdown();
    telemetry.close();
    Runtime.getRuntime().removeShutdownHook(hook);
    log.info("shutdown complete{}", errors.isEmpty() ? "" : " with " + errors.size() + " errors");
    return errors.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /** One line on stderr (and in the log), no stack trace: the message says what to fix. */
  private static int fail(String message) {
    log.error("{}", message);
    System.err.println("error: " + message);
    return ExitCodes.FAILED;
  }
}
