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
  /** The {@code reason} of a request {@code auth} refused. */
  static final String UNAUTHENTICATED = "unauthenticated";

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

  /** What the receiver gives each of its servers. */
  record Shared(
      OtlpReceiver receiver,
      EventLoopGroup boss,
      EventLoopGroup workers,
      Executor executor,
      Logger log,
      String componentId) {}

  OtlpServer(String protocol, Shared shared, C config, ReceiverMetrics counts) {
    this.receiver = shared.receiver();
    this.config = config;
    this.boss = shared.boss();
    this.workers = shared.workers();
    this.executor = shared.executor();
    this.counts = counts;
    this.log = shared.log();
    this.who = shared.componentId() + " receiver (" + protocol + ")";
    this.componentId = shared.componentId();
  }
}
