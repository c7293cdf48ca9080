package dev.inflight.translator.prometheus;

/**
 * {@code resource_to_telemetry_conversion}: copy every resource attribute onto every series as a
 * label, instead of only onto {@code target_info} (the Collector's key).
 *
 * @param enabled default false
 */
public record ResourceToTelemetryConversion(Boolean enabled) {
  public ResourceToTelemetryConversion {
    enabled = enabled != null && enabled;
  }

  public static ResourceToTelemetryConversion disabled() {
    return new ResourceToTelemetryConversion(false);
  }
}
