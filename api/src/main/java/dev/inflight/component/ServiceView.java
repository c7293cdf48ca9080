package dev.inflight.component;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the running service shows of itself to extensions that describe it ({@code zpages}): its
 * build, when it started, its pipelines as configured, and how far each extension got. Read-only;
 * every answer is a snapshot.
 */
public interface ServiceView {
  /** Which program this is: {@code inflight}, its description and version. */
  record BuildInfo(String command, String description, String version) {
    public BuildInfo {
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(version, "version");
    }
  }

  /**
   * One entry of {@code service.pipelines}, in config order. A connector appears among the
   * exporters of the pipeline it leaves and the receivers of the one it feeds, as in the config;
   * {@link #connectors} names which of those ids are connectors.
   */
  record Pipeline(
      PipelineId id,
      List<ComponentId> receivers,
      List<ComponentId> processors,
      List<ComponentId> exporters,
      List<ComponentId> connectors) {
    public Pipeline {
      Objects.requireNonNull(id, "id");
      receivers = List.copyOf(receivers);
      processors = List.copyOf(processors);
      exporters = List.copyOf(exporters);
      connectors = List.copyOf(connectors);
    }
  }

  /** Where an extension is in its lifecycle, named as the Collector's component status. */
  enum Status {
    STARTING("StatusStarting"),
    OK("StatusOK"),
    STOPPING("StatusStopping"),
    STOPPED("StatusStopped"),
    FAILED("StatusPermanentError");

    private final String collectorName;

    Status(String collectorName) {
      this.collectorName = collectorName;
    }

    /** The Collector's name for it, as its zPages show it. */
    public String collectorName() {
      return collectorName;
    }
  }

  BuildInfo build();

  /** When {@code start} was called; null before. */
  @Nullable Instant startTime();

  List<Pipeline> pipelines();

  /** Every configured extension, in start order, with its status now. */
  Map<ComponentId, Status> extensionStatus();
}
