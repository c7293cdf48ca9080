package dev.inflight.extension.basicauth;

import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import org.jspecify.annotations.Nullable;

/**
 * {@code extensions.basicauth}: one of {@code htpasswd} (a server authenticator) or {@code
 * client_auth} (a client authenticator), as in the Collector.
 *
 * @param htpasswd the users a server accepts; null: not a server authenticator
 * @param clientAuth the credentials a client sends; null: not a client authenticator
 */
public record BasicAuthConfig(@Nullable Htpasswd htpasswd, @Nullable ClientAuth clientAuth) implements ComponentConfig {
  /** Neither set: not valid until one is. */
  public static final BasicAuthConfig DEFAULT = new BasicAuthConfig(null, null);

  /**
   * {@code htpasswd}: lines {@code user:hash}, from a file, inline, or both (inline lines win for a
   * user in both).
   *
   * @param file path of an htpasswd file, read at start
   * @param inline htpasswd lines written in the config
   */
  public record Htpasswd(String file, String inline) {
    public Htpasswd {
      file = file == null ? "" : file;
      inline = inline == null ? "" : inline;
    }

    @Override
    public String toString() {
      return "Htpasswd[file=" + file + ", inline=" + (inline.isEmpty() ? "" : "<redacted>") + "]";
    }
  }

  /** {@code client_auth}: sent as {@code Authorization: Basic base64(username:password)}. */
  public record ClientAuth(String username, String password) {
    public ClientAuth {
      username = username == null ? "" : username;
      password = password == null ? "" : password;
    }

    @Override
    public String toString() {
      return "ClientAuth[username=" + username + ", password=" + (password.isEmpty() ? "" : "<redacted>") + "]";
    }
  }

  @Override
  public void validate(ConfigProblems problems) {
    if (htpasswd != null && clientAuth != null) {
      problems.add("only one of htpasswd or client_auth can be specified: use one basicauth extension for"
          + " receivers and another (basicauth/<name>) for exporters");
      return;
    }
    if (htpasswd == null && clientAuth == null) {
      problems.add("htpasswd", "htpasswd (to check what receivers get) or client_auth (to authenticate what"
          + " exporters send) must be set (no credential source provided)");
      return;
    }
    if (htpasswd != null) {
      if (htpasswd.file().isEmpty() && htpasswd.inline().isEmpty()) {
        problems.at("htpasswd").add("file", "htpasswd needs file or inline (no credential source provided)");
      }
      ConfigProblems inline = problems.at("htpasswd").at("inline");
      HtpasswdEntries.parse(htpasswd.inline(), "inline", (line, why) -> inline.add("line " + line + ": " + why));
    }
    if (clientAuth != null && clientAuth.username().contains(":")) {
      problems.at("client_auth").add("username", "username must not contain ':' (Basic credentials are username:password)");
    }
    if (clientAuth != null) {
      String u = clientAuth.username() + clientAuth.password();
      if (!u.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
        problems.at("client_auth").add("password", "username and password must not contain control characters");
      }
    }
  }
}
