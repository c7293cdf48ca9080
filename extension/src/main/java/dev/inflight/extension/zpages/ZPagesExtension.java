package dev.inflight.extension.zpages;

import com.sun.net.httpserver.HttpExchange;
import dev.inflight.component.ComponentId;
import dev.inflight.component.Extension;
import dev.inflight.component.Host;
import dev.inflight.component.ServiceView;
import dev.inflight.component.config.DurationFormat;
import dev.inflight.component.config.Endpoints;
import dev.inflight.extension.internal.http.ExtensionHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Serves the Collector's zPages that describe the service: {@code /debug/servicez} (build, start
 * time, uptime, a summary of the configuration), {@code /debug/pipelinez} (each pipeline's
 * components) and {@code /debug/extensionz} (each extension's status), as plain HTML tables.
 * {@code /debug/tracez} and {@code /debug/rpcz} say why they are empty: inflight records no spans
 * of its own. Pages are for browsers, so a request whose {@code Host} is a name other than
 * localhost or the configured host is refused (DNS rebinding would otherwise let any web page read
 * the configuration through the user's browser).
 */
public final class ZPagesExtension implements Extension {
  static final List<String> PAGES = List.of(
      "/debug/servicez", "/debug/pipelinez", "/debug/extensionz", "/debug/tracez", "/debug/rpcz");

  private final String who;
  private final ZPagesConfig config;
  private final String configuredHost;
  private volatile boolean shutDown;
  private @Nullable ServiceView service;
  private @Nullable ExtensionHttpServer server;

  /** @param who names the extension in messages and thread names: its component id */
  public ZPagesExtension(String who, ZPagesConfig config) {
    this.who = Objects.requireNonNull(who, "who");
    this.config = Objects.requireNonNull(config, "config");
    this.configuredHost = Endpoints.listenAddress(config.endpoint()).getHostString().toLowerCase(Locale.ROOT);
  }

  /**
   * Binds the endpoint.
   *
   * @throws dev.inflight.component.telemetry.ListenException {@code zpages cannot listen on
   *     localhost:55679: address already in use}
   */
  @Override
  public synchronized void start(Host host) throws IOException {
    if (server != null || shutDown) {
      return;
    }
    service = host.service().orElse(null);
    server = ExtensionHttpServer.start(who, config.endpoint(), 1, this::handle);
  }

  @Override
  public synchronized void shutdown() {
    if (shutDown) {
      return;
    }
    shutDown = true;
    if (server != null) {
      server.stop();
    }
  }

  /** The address actually bound (its port when the endpoint asked for port 0); null before start. */
  public synchronized @Nullable InetSocketAddress address() {
    return server == null ? null : server.address();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String hostHeader = exchange.getRequestHeaders().getFirst("Host");
      if (!allowedHost(hostHeader, configuredHost)) {
        send(exchange, 403, "text/plain; charset=utf-8",
            "403 forbidden: Host \"" + hostHeader + "\" is not this server's name; open the page by"
                + " localhost, an IP address or the host of " + who + "'s endpoint");
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "method not allowed: use GET");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String body = switch (path) {
        case "/debug/servicez" -> servicez();
        case "/debug/pipelinez" -> pipelinez();
        case "/debug/extensionz" -> extensionz();
        case "/debug/tracez", "/debug/rpcz" -> noSpans(path);
        default -> null;
      };
      if (body == null) {
        send(exchange, 404, "text/html; charset=utf-8", page("404 page not found",
            "<p>" + escape(path) + " is not a page of " + escape(who) + ".</p>" + links()));
        return;
      }
      send(exchange, 200, "text/html; charset=utf-8", body);
    }
  }

  /**
   * An IP literal or {@code localhost} (a rebinding attack needs a name it controls), or the
   * configured host name itself; no header at all (HTTP/1.0, curl -H 'Host:') is not a browser.
   */
  static boolean allowedHost(@Nullable String header, String configuredHost) {
    if (header == null || header.isEmpty()) {
      return true;
    }
    String host = header.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end > 0; // an IPv6 literal
    }
    int colon = host.lastIndexOf(':');
    if (colon >= 0) {
      host = host.substring(0, colon);
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host.equals("localhost") || host.endsWith(".localhost") || isIpv4(host)
        || (!configuredHost.isEmpty() && host.equals(configuredHost));
  }

  private static boolean isIpv4(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  // --- pages ---

  private String servicez() {
    ServiceView s = service;
    StringBuilder b = new StringBuilder();
    if (s == null) {
      return page("Service", "<p>No service information: this extension runs outside a service.</p>" + links());
    }
    ServiceView.BuildInfo build = s.build();
    b.append("<h2>Build info</h2>");
    table(b, List.of("Property", "Value"), List.of(
        List.of("Command", build.command()),
        List.of("Description", build.description()),
        List.of("Version", build.version())));
    Instant started = s.startTime();
    Runtime rt = Runtime.getRuntime();
    b.append("<h2>Runtime info</h2>");
    table(b, List.of("Property", "Value"), List.of(
        List.of("StartTimestamp", started == null ? "not started" : started.truncatedTo(ChronoUnit.MILLIS).toString()),
        List.of("Uptime", started == null ? "" : DurationFormat.format(
            Duration.between(started, Instant.now()).truncatedTo(ChronoUnit.MILLIS))),
        List.of("Java", System.getProperty("java.vm.name", "") + " " + Runtime.version()),
        List.of("PID", Long.toString(ProcessHandle.current().pid())),
        List.of("CPUs", Integer.toString(rt.availableProcessors())),
        List.of("MaxHeap", (rt.maxMemory() >> 20) + " MiB")));
    b.append("<h2>Configuration</h2>");
    List<List<String>> rows = s.pipelines().stream().map(p -> List.of(
        p.id().toString(),
        Integer.toString(p.receivers().size()),
        Integer.toString(p.processors().size()),
        Integer.toString(p.exporters().size()))).toList();
    table(b, List.of("Pipeline", "Receivers", "Processors", "Exporters"), rows);
    b.append("<p>").append(s.extensionStatus().size()).append(" extensions: ")
        .append(escape(s.extensionStatus().keySet().stream().map(ComponentId::toString).collect(Collectors.joining(", "))))
        .append("</p>");
    b.append(links());
    return page("Service " + build.command(), b.toString());
  }

  private String pipelinez() {
    ServiceView s = service;
    if (s == null) {
      return page("Pipelines", "<p>No service information: this extension runs outside a service.</p>" + links());
    }
    List<List<String>> rows = s.pipelines().stream().map(p -> List.of(
        p.id().toString(),
        p.id().signal().key(),
        ids(p.receivers(), p.connectors()),
        ids(p.processors(), List.of()),
        ids(p.exporters(), p.connectors()),
        ids(p.connectors(), List.of()))).toList();
    StringBuilder b = new StringBuilder();
    table(b, List.of("FullName", "InputType", "Receivers", "Processors", "Exporters", "Connectors"), rows);
    b.append("<p>A connector is listed as an exporter of the pipeline it leaves and a receiver of the one it"
        + " feeds, marked (connector).</p>");
    b.append(links());
    return page("Pipelines", b.toString());
  }

  private String extensionz() {
    ServiceView s = service;
    if (s == null) {
      return page("Extensions", "<p>No service information: this extension runs outside a service.</p>" + links());
    }
    List<List<String>> rows = s.extensionStatus().entrySet().stream()
        .map((Map.Entry<ComponentId, ServiceView.Status> e) -> List.of(e.getKey().toString(),
            e.getValue() == null ? "" : e.getValue().collectorName()))
        .toList();
    StringBuilder b = new StringBuilder();
    table(b, List.of("FullName", "Status"), rows);
    b.append(links());
    return page("Extensions", b.toString());
  }

  private String noSpans(String path) {
    String what = path.endsWith("tracez") ? "Trace spans" : "RPC stats";
    return page(what, "<p>inflight does not record spans of its own, so this page has nothing to show."
        + " Its self-metrics are on the service.telemetry.metrics readers (default :8888/metrics).</p>" + links());
  }

  private static String ids(List<ComponentId> ids, List<ComponentId> connectors) {
    return ids.stream().map(id -> connectors.contains(id) ? id + " (connector)" : id.toString())
        .collect(Collectors.joining(", "));
  }

  private static void table(StringBuilder b, List<String> header, List<List<String>> rows) {
    b.append("<table border=\"1\"><tr>");
    header.forEach(h -> b.append("<th>").append(escape(h)).append("</th>"));
    b.append("</tr>\n");
    for (List<String> row : rows) {
      b.append("<tr>");
      row.forEach(c -> b.append("<td>").append(escape(c)).append("</td>"));
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private static String links() {
    StringBuilder b = new StringBuilder("<p>");
    for (String p : PAGES) {
      b.append("<a href=\"").append(p).append("\">").append(p).append("</a> ");
    }
    return b.append("</p>").toString();
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title)
        + "</title></head>\n<body><h1>" + escape(title) + "</h1>\n" + body + "\n</body></html>\n";
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    // Pages show the configuration: no caching by proxies or the browser.
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
