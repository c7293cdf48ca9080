package dev.inflight.receiver.otlp;

import dev.inflight.component.telemetry.ReceiverMetrics;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.Executor;
import org.slf4j.Logger;

/**
 * What the otlp receiver's grpc and http servers share: the receiver they hand requests to, their
 * protocol's config, the receiver's event loops and handler threads, their counters and log.
 *
 * @param <C> the protocol's config
 */
abstract class OtlpServer<C> {
  final OtlpReceiver receiver;
  final C config;
  final EventLoopGroup boss;
  final EventLoopGroup workers;
  final Executor executor;
  final ReceiverMetrics counts;
  final Logger log;
  /** {@code <id> receiver (<protocol>)}: names the server in errors and logs. */
  final String who;
  final String componentId;

  OtlpServer(
      String protocol,
      OtlpReceiver receiver,
      C config,
      EventLoopGroup boss,
      EventLoopGroup workers,
      Executor executor,
      ReceiverMetrics counts,
      Logger log,
      String componentId) {
    this.receiver = receiver;
    this.config = config;
    this.boss = boss;
    this.workers = workers;
    this.executor = executor;
    this.counts = counts;
    this.log = log;
    this.who = componentId + " receiver (" + protocol + ")";
    this.componentId = componentId;
  }
}
