package dev.inflight.component.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A component's attributes plus {@code reason="<why>"}, built once per reason: the label every
 * {@code ..._dropped_*} and {@code ..._failed_*} counter of ours carries.
 */
public final class ReasonAttributes {
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  private final Attributes component;
  private final ConcurrentHashMap<String, Attributes> byReason = new ConcurrentHashMap<>();

  public ReasonAttributes(Attributes component) {
    this.component = component;
  }

  public Attributes of(String reason) {
    return byReason.computeIfAbsent(reason, r -> component.toBuilder().put(REASON, r).build());
  }
}
