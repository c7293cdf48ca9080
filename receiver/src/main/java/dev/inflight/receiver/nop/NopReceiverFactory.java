package dev.inflight.receiver.nop;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Receiver;
import dev.inflight.component.ReceiverFactory;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConsumer;
import java.util.Set;

/**
 * {@code receivers: nop:}: receives nothing, as the Collector's {@code nop} receiver: a pipeline
 * fed only by a connector still needs a receiver listed, and configs use this one for that.
 */
public final class NopReceiverFactory implements ReceiverFactory<NopReceiverConfig> {
  public static final String TYPE = "nop";

  /** Listens nowhere and sends nothing. */
  private static final Receiver NOTHING = new Receiver() {
    @Override
    public String toString() {
      return "nop receiver (receives nothing)";
    }
  };

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "receives nothing: a placeholder for pipelines fed by connectors";
  }

  @Override
  public Class<NopReceiverConfig> configClass() {
    return NopReceiverConfig.class;
  }

  @Override
  public NopReceiverConfig createDefaultConfig() {
    return new NopReceiverConfig();
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Override
  public Receiver createTraces(CreateSettings settings, NopReceiverConfig config, TracesConsumer next) {
    return NOTHING;
  }

  @Override
  public Receiver createMetrics(CreateSettings settings, NopReceiverConfig config, MetricsConsumer next) {
    return NOTHING;
  }

  @Override
  public Receiver createLogs(CreateSettings settings, NopReceiverConfig config, LogsConsumer next) {
    return NOTHING;
  }
}
