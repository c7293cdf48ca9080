package dev.inflight.component.telemetry;

import java.io.IOException;
import java.net.BindException;

/**
 * A server could not listen on its address. The message is the one line a user needs: who, where,
 * why ({@code telemetry cannot listen on 0.0.0.0:8888: address already in use}).
 */
public final class ListenException extends IOException {
  private static final long serialVersionUID = 1L;

  public ListenException(String who, String address, Throwable cause) {
    super(who + " cannot listen on " + address + ": " + reason(cause), cause);
  }

  private static String reason(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof BindException) {
        String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (m.contains("in use")) {
          return "address already in use";
        }
        if (m.contains("cannot assign")) {
          return "address not available on this host";
        }
        if (m.contains("permission")) {
          return "permission denied (ports below 1024 need privileges)";
        }
        return m.isEmpty() ? "bind failed" : m;
      }
    }
    return cause == null || cause.getMessage() == null ? "unknown error" : cause.getMessage();
  }
}
