package dev.inflight.config.configauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The {@code auth.bearer_token} check for every transport (gRPC: {@code
 * configgrpc.BearerTokenInterceptor}): the {@code Authorization} header must
 * be {@code Bearer <token>} (scheme case-insensitive, as RFC 6750 allows). Tokens are compared as
 * SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken says nothing about the
 * token, not even its length.
 */
public final class BearerToken {
  /** The scheme, as a 401 names it in {@code WWW-Authenticate}. */
  public static final String SCHEME = "Bearer";

  private final byte[] expected;

  public BearerToken(String token) {
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("bearer_token must not be empty");
    }
    this.expected = sha256(token);
  }

  /** Null when {@code auth} is not set. */
  public static BearerToken of(AuthConfig auth) {
    return auth == null ? null : new BearerToken(auth.bearerToken());
  }

  /**
   * Why {@code header} does not authenticate, or null when it does.
   *
   * @param header the {@code Authorization} header as received, or null
   */
  public String reject(String header) {
    if (header == null || header.isBlank()) {
      return "missing or empty authorization header: send Authorization: Bearer <token>";
    }
    String h = header.strip();
    int space = h.indexOf(' ');
    String scheme = space < 0 ? h : h.substring(0, space);
    String token = space < 0 ? "" : h.substring(space + 1).strip();
    boolean schemeOk = scheme.toLowerCase(Locale.ROOT).equals("bearer");
    // Compare the digest whatever the scheme: the time taken does not depend on what was sent.
    boolean tokenOk = MessageDigest.isEqual(expected, sha256(token));
    return schemeOk && tokenOk ? null : "scheme or token does not match";
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
