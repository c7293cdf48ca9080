package dev.inflight.extension.basicauth;

import dev.inflight.component.Extension;
import dev.inflight.component.Host;
import dev.inflight.component.auth.ClientAuthenticator;
import dev.inflight.component.auth.ServerAuthenticator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The server side ({@code htpasswd}) or the client side ({@code client_auth}) of Basic auth. */
abstract sealed class BasicAuthExtension implements Extension {
  static final String PREFIX = "Basic ";

  static BasicAuthExtension of(String id, BasicAuthConfig config) {
    return config.htpasswd() != null ? new Server(id, config.htpasswd()) : new Client(config.clientAuth());
  }

  /** Checks {@code Authorization: Basic ...} against the htpasswd entries read at start. */
  static final class Server extends BasicAuthExtension implements ServerAuthenticator {
    private final String id;
    private final BasicAuthConfig.Htpasswd htpasswd;
    private volatile @Nullable HtpasswdEntries entries;

    Server(String id, BasicAuthConfig.Htpasswd htpasswd) {
      this.id = id;
      this.htpasswd = htpasswd;
    }

    @Override
    public void start(Host host) throws IOException {
      HtpasswdEntries e = HtpasswdEntries.parse("", "", (l, w) -> {});
      List<String> problems = new ArrayList<>();
      if (!htpasswd.file().isEmpty()) {
        String text;
        try {
          text = Files.readString(Path.of(htpasswd.file()), StandardCharsets.UTF_8);
        } catch (NoSuchFileException ex) {
          throw new IOException("extensions." + id + ".htpasswd.file: " + htpasswd.file() + " does not exist");
        }
        e = HtpasswdEntries.parse(text, htpasswd.file(),
            (line, why) -> problems.add(htpasswd.file() + ":" + line + ": " + why));
      }
      // Inline lines come last, so they win for a user in both (as in the Collector).
      e = e.then(HtpasswdEntries.parse(htpasswd.inline(), "inline", (l, w) -> {}));
      if (!problems.isEmpty()) {
        throw new IOException("extensions." + id + ".htpasswd.file: " + String.join("; ", problems));
      }
      if (e.isEmpty()) {
        throw new IOException("extensions." + id + ".htpasswd: no user (the file and inline have no user:hash line)");
      }
      entries = e;
    }

    @Override
    public @Nullable String reject(Headers headers) {
      HtpasswdEntries e = entries;
      if (e == null) {
        return "the " + id + " extension has not started";
      }
      String auth = headers.get("Authorization");
      if (auth == null || auth.isEmpty()) {
        return "no basic auth provided";
      }
      if (auth.length() < PREFIX.length() || !auth.substring(0, PREFIX.length()).equalsIgnoreCase(PREFIX)) {
        return "invalid authorization scheme prefix: send Authorization: Basic base64(user:password)";
      }
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.substring(PREFIX.length()).strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException ex) {
        return "invalid authorization format";
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        return "invalid authorization format";
      }
      return e.matches(decoded.substring(0, colon), decoded.substring(colon + 1)) ? null : "invalid credentials";
    }

    @Override
    public String challenge() {
      return "Basic realm=\"" + id.replace("\"", "") + "\"";
    }
  }

  /** Sends {@code Authorization: Basic base64(username:password)}. */
  static final class Client extends BasicAuthExtension implements ClientAuthenticator {
    private final Map<String, String> headers;

    Client(BasicAuthConfig.ClientAuth auth) {
      String credentials = auth.username() + ":" + auth.password();
      headers = Map.of("Authorization",
          PREFIX + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Map<String, String> headers() {
      return headers;
    }
  }
}
