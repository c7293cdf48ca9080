package dev.inflight.receiver.otlp;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Receiver;
import dev.inflight.component.ReceiverFactory;
import dev.inflight.component.Signal;
import dev.inflight.component.SignalType;
import dev.inflight.component.TracesConsumer;
import java.util.Set;

/**
 * {@code receivers: otlp:}: OTLP over gRPC ({@code protocols.grpc}, default {@value
 * OtlpReceiverConfig.Grpc#DEFAULT_ENDPOINT}) and HTTP ({@code protocols.http}, default {@value
 * OtlpReceiverConfig.Http#DEFAULT_ENDPOINT}), traces, metrics and logs. One receiver instance serves
 * every pipeline that lists the same id, on the same ports.
 */
public final class OtlpReceiverFactory implements ReceiverFactory<OtlpReceiverConfig> {
  public static final String TYPE = "otlp";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "OTLP over gRPC (protocols.grpc, localhost:4317) and HTTP (protocols.http, localhost:4318);"
        + " a protocol is on when its key is present";
  }

  @Override
  public Class<OtlpReceiverConfig> configClass() {
    return OtlpReceiverConfig.class;
  }

  /** No protocol: as in the Collector, each is turned on by naming it ({@code grpc:}, {@code http:}). */
  @Override
  public OtlpReceiverConfig createDefaultConfig() {
    return OtlpReceiverConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Override
  public Receiver createTraces(CreateSettings settings, OtlpReceiverConfig config, TracesConsumer next) {
    return shared(settings, config, SignalType.TRACES, next);
  }

  @Override
  public Receiver createMetrics(CreateSettings settings, OtlpReceiverConfig config, MetricsConsumer next) {
    return shared(settings, config, SignalType.METRICS, next);
  }

  @Override
  public Receiver createLogs(CreateSettings settings, OtlpReceiverConfig config, LogsConsumer next) {
    return shared(settings, config, SignalType.LOGS, next);
  }

  /** The one receiver of this id (made by the first pipeline that lists it), now serving {@code type} too. */
  private static <C> OtlpReceiver shared(
      CreateSettings settings, OtlpReceiverConfig config, SignalType<?, C> type, C next) {
    OtlpReceiver receiver = settings.shared(() -> new OtlpReceiver(settings, config));
    receiver.consumer(type, next);
    return receiver;
  }
}
