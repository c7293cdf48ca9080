package dev.inflight.service.internal.graph;

import dev.inflight.component.Consumer;
import dev.inflight.component.PipelineId;
import dev.inflight.component.Signal;

/** The end of a pipeline: hands each batch to the pipeline's exporters and connectors. */
record FanOutNode(PipelineId pipeline) implements Node {
  @Override
  public String describe() {
    return "pipeline \"" + pipeline + "\"";
  }

  @Override
  public Signal signal() {
    return pipeline.signal();
  }

  @Override
  public Consumer<?> build(Wiring wiring) {
    return wiring.fanOut(this, Node.type(signal()), "pipeline \"" + pipeline + "\"");
  }
}
