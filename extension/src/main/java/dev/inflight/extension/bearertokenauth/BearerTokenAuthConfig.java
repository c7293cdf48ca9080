package dev.inflight.extension.bearertokenauth;

import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import java.util.List;

/**
 * {@code extensions.bearertokenauth}.
 *
 * @param header the header the token travels in; default {@value #DEFAULT_HEADER}
 * @param scheme what comes before the token; default {@value #DEFAULT_SCHEME}; empty: the header
 *     is the token alone
 * @param token the one token; or
 * @param tokens several tokens a server accepts (a client sends the first), e.g. while rotating
 * @param filename a file with the tokens, one per line; read at start and again whenever it
 *     changes; takes precedence over {@code token} and {@code tokens}
 */
public record BearerTokenAuthConfig(String header, String scheme, String token, List<String> tokens, String filename)
    implements ComponentConfig {
  public static final String DEFAULT_HEADER = "Authorization";
  public static final String DEFAULT_SCHEME = "Bearer";

  public BearerTokenAuthConfig {
    header = header == null ? DEFAULT_HEADER : header;
    scheme = scheme == null ? DEFAULT_SCHEME : scheme;
    token = token == null ? "" : token;
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
    filename = filename == null ? "" : filename;
  }

  /** Every setting at its default (no token: not valid until one is set). */
  public static final BearerTokenAuthConfig DEFAULT = new BearerTokenAuthConfig(null, null, null, null, null);

  @Override
  public String toString() {
    return "BearerTokenAuthConfig[header=" + header + ", scheme=" + scheme + ", token=" + (token.isEmpty() ? "" : "<redacted>")
        + ", tokens=<" + tokens.size() + " redacted>, filename=" + filename + "]";
  }

  /** The tokens written in the config ({@code token} or {@code tokens}). */
  List<String> inlineTokens() {
    return token.isEmpty() ? tokens : List.of(token);
  }

  @Override
  public void validate(ConfigProblems problems) {
    if (token.isEmpty() && tokens.isEmpty() && filename.isEmpty()) {
      problems.add("token", "token, tokens or filename must be set (no token provided)");
    }
    if (!token.isEmpty() && !tokens.isEmpty()) {
      problems.add("tokens", "either token or tokens can be set, not both");
    }
    if (header.isEmpty() || !header.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
      problems.add("header", "header \"" + header + "\" must be a header name (printable ASCII, no spaces or colon)");
    }
    if (!scheme.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      problems.add("scheme", "scheme must be printable ASCII without spaces");
    }
    String why = problem(token);
    if (why != null) {
      problems.add("token", "token " + why);
    }
    for (int i = 0; i < tokens.size(); i++) {
      String w = problem(tokens.get(i));
      if (w != null || tokens.get(i).isEmpty()) {
        problems.at("tokens").at(i).add("token " + (w == null ? "must not be empty" : w));
      }
    }
  }

  /** Why a token cannot travel in a header (HTTP and gRPC metadata), or null. */
  static String problem(String token) {
    if (!token.equals(token.strip())) {
      return "must not start or end with whitespace";
    }
    return token.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? null : "must be printable ASCII";
  }
}
