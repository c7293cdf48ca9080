package dev.inflight.service;

import dev.inflight.component.ComponentId;
import dev.inflight.component.PipelineId;
import dev.inflight.component.Signal;

/**
 * A vertex of the pipeline graph. Receivers and exporters are one node per (id, signal), shared by
 * every pipeline that lists them; processors are one node per pipeline and position; connectors one
 * per (id, input signal, output signal); each pipeline ends in a fan-out to its exporters.
 */
sealed interface Node {
  /** For messages: {@code receiver "otlp"}, {@code processor "batch" in pipeline "traces"}. */
  String describe();

  /** The signal this node consumes (for receivers, the signal it produces). */
  Signal signal();

  record ReceiverNode(ComponentId id, Signal signal) implements Node {
    @Override
    public String describe() {
      return "receiver \"" + id + "\"";
    }
  }

  record ProcessorNode(PipelineId pipeline, int index, ComponentId id) implements Node {
    @Override
    public String describe() {
      return "processor \"" + id + "\" in pipeline \"" + pipeline + "\"";
    }

    @Override
    public Signal signal() {
      return pipeline.signal();
    }
  }

  record FanOutNode(PipelineId pipeline) implements Node {
    @Override
    public String describe() {
      return "pipeline \"" + pipeline + "\"";
    }

    @Override
    public Signal signal() {
      return pipeline.signal();
    }
  }

  record ExporterNode(ComponentId id, Signal signal) implements Node {
    @Override
    public String describe() {
      return "exporter \"" + id + "\"";
    }
  }

  record ConnectorNode(ComponentId id, Signal from, Signal to) implements Node {
    @Override
    public String describe() {
      return "connector \"" + id + "\" (" + from + " → " + to + ")";
    }

    @Override
    public Signal signal() {
      return from;
    }
  }
}
