package dev.inflight.config.confignet;

import dev.inflight.component.config.Endpoints;
import dev.inflight.component.telemetry.ListenException;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * How every server turns its {@code endpoint} into a bound socket: {@link #resolve} the {@code
 * host:port}, then {@link #bind} with the server's own library; either failure is one {@link
 * ListenException} that says who, where and why ({@code otlp receiver (grpc) cannot listen on
 * 0.0.0.0:4317: address already in use}).
 */
public final class ListenEndpoint {
  private ListenEndpoint() {}

  /** One server library's bind (and start) step. */
  @FunctionalInterface
  public interface Bind<T> {
    T bind() throws Exception;
  }

  /**
   * The address to listen on ({@link Endpoints#listenAddress}: {@code :8888} is every interface).
   *
   * @param who the server, first word of the message: {@code otlp receiver (grpc)}, {@code health_check}
   * @throws ListenException {@code <who> cannot listen on <endpoint>: cannot resolve host <host>}
   */
  public static InetSocketAddress resolve(String who, String endpoint) throws ListenException {
    InetSocketAddress address;
    try {
      address = Endpoints.listenAddress(endpoint);
    } catch (RuntimeException e) {
      throw new ListenException(who, endpoint, e);
    }
    if (address.isUnresolved()) {
      throw new ListenException(who, endpoint, new IOException("cannot resolve host " + address.getHostString()));
    }
    return address;
  }

  /**
   * Runs {@code bind}; what it throws becomes a {@link ListenException} for {@code endpoint} (its
   * message reads a {@link java.net.BindException} as "address already in use" and the like).
   */
  public static <T> T bind(String who, String endpoint, Bind<T> bind) throws ListenException {
    try {
      return bind.bind();
    } catch (ListenException e) {
      throw e;
    } catch (Exception e) {
      throw new ListenException(who, endpoint, e);
    }
  }
}
