package dev.inflight.processor.resourcedetection;

import dev.inflight.component.Component;
import dev.inflight.component.Host;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.LogsProcessor;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesProcessor;
import dev.inflight.processor.internal.resource.ResourceRewriter;
import dev.inflight.processor.internal.resource.ResourceRewriting;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Adds the attributes detected at start to the resource of every batch, rewriting the encoded
 * request as the resource processor does (only resources are decoded; a batch whose resources
 * already carry them is handed on as the same bytes). Before start, batches pass untouched.
 */
public final class ResourceDetectionProcessor {
  private static final String NAME = "resource_detection processor";

  private ResourceDetectionProcessor() {}

  /** Detects at start, then rewrites with the rewriter {@code make} builds for the signal. */
  private static final class Lifecycle implements Component {
    private final Detection detection;
    private final boolean override;
    private final Function<UnaryOperator<Resource>, ResourceRewriter> make;
    private volatile @Nullable ResourceRewriter rewriter;

    Lifecycle(
        Detection detection, boolean override, Function<UnaryOperator<Resource>, ResourceRewriter> make) {
      this.detection = detection;
      this.override = override;
      this.make = make;
    }

    @Override
    public void start(Host host) throws Exception {
      rewriter = make.apply(Detection.change(detection.detect(), override));
    }

    @Nullable ResourceRewriter rewriter() {
      return rewriter;
    }
  }

  static TracesProcessor traces(
      ResourceDetectionProcessorConfig config, Detection detection, TracesConsumer next) {
    Lifecycle l = new Lifecycle(detection, config.override(), ResourceRewriter::traces);
    return ResourceRewriting.traces(NAME, l::rewriter, l, next);
  }

  static MetricsProcessor metrics(
      ResourceDetectionProcessorConfig config, Detection detection, MetricsConsumer next) {
    Lifecycle l = new Lifecycle(detection, config.override(), ResourceRewriter::metrics);
    return ResourceRewriting.metrics(NAME, l::rewriter, l, next);
  }

  static LogsProcessor logs(
      ResourceDetectionProcessorConfig config, Detection detection, LogsConsumer next) {
    Lifecycle l = new Lifecycle(detection, config.override(), ResourceRewriter::logs);
    return ResourceRewriting.logs(NAME, l::rewriter, l, next);
  }
}
