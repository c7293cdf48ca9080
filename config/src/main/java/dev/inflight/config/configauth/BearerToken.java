package dev.inflight.config.configauth;

import dev.inflight.component.auth.ServerAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The bearer-token check for every transport (gRPC: {@code configgrpc.ServerAuthInterceptor}),
 * for {@code auth.bearer_token} and the {@code bearertokenauth} extension: the header (by default
 * {@code Authorization}) must be {@code <scheme> <token>} for one of the tokens (scheme
 * case-insensitive, as RFC 6750 allows; with an empty scheme the whole value is the token). Tokens
 * are compared as SHA-256 digests with {@link MessageDigest#isEqual}, every one of them every time,
 * so the time taken says nothing about the tokens, not even their length.
 */
public final class BearerToken implements ServerAuthenticator {
  /** The scheme, as a 401 names it in {@code WWW-Authenticate}. */
  public static final String SCHEME = "Bearer";
  /** The header the token is sent in. */
  public static final String HEADER = "Authorization";

  private final String header;
  private final String scheme;
  private final List<byte[]> expected;

  /** {@code Authorization: Bearer <token>}. */
  public BearerToken(String token) {
    this(HEADER, SCHEME, List.of(token));
  }

  /**
   * @param scheme the scheme before the token, or empty for the token alone
   * @param tokens accepted tokens; at least one, none empty
   */
  public BearerToken(String header, String scheme, List<String> tokens) {
    if (tokens.isEmpty() || tokens.stream().anyMatch(t -> t == null || t.isEmpty())) {
      throw new IllegalArgumentException("bearer_token must not be empty");
    }
    this.header = header;
    this.scheme = scheme;
    this.expected = tokens.stream().map(BearerToken::sha256).toList();
  }

  @Override
  public @Nullable String reject(Headers headers) {
    return rejectValue(headers.get(header));
  }

  @Override
  public String challenge() {
    return scheme.isEmpty() ? SCHEME : scheme;
  }

  /**
   * Why {@code value} does not authenticate, or null when it does.
   *
   * @param value the header as received, or null
   */
  public @Nullable String rejectValue(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return "missing or empty authorization header: send " + header + ": "
          + (scheme.isEmpty() ? "" : scheme + " ") + "<token>";
    }
    String h = value.strip();
    boolean schemeOk;
    String token;
    if (scheme.isEmpty()) {
      schemeOk = true;
      token = h;
    } else {
      int space = h.indexOf(' ');
      String sent = space < 0 ? h : h.substring(0, space);
      token = space < 0 ? "" : h.substring(space + 1).strip();
      schemeOk = sent.toLowerCase(Locale.ROOT).equals(scheme.toLowerCase(Locale.ROOT));
    }
    // Compare the digest against every token whatever the scheme: the time taken does not depend
    // on what was sent nor on which token matched.
    byte[] digest = sha256(token);
    boolean tokenOk = false;
    for (byte[] e : expected) {
      tokenOk |= MessageDigest.isEqual(e, digest);
    }
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
