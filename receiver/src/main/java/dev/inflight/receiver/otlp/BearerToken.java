package dev.inflight.receiver.otlp;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * The {@code auth.bearer_token} check for both transports: the {@code Authorization} header must
 * be {@code Bearer <token>} (scheme case-insensitive, as RFC 6750 allows). Tokens are compared as
 * SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken says nothing about the
 * token, not even its length.
 */
final class BearerToken {
  static final String SCHEME = "Bearer";
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final byte[] expected;

  BearerToken(String token) {
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("bearer_token must not be empty");
    }
    this.expected = sha256(token);
  }

  /** Null when {@code auth} is not set. */
  static BearerToken of(AuthConfig auth) {
    return auth == null ? null : new BearerToken(auth.bearerToken());
  }

  /**
   * Why {@code header} does not authenticate, or null when it does.
   *
   * @param header the {@code Authorization} header as received, or null
   */
  String reject(String header) {
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

  /** gRPC: closes calls that do not authenticate with UNAUTHENTICATED before any message is read. */
  ServerInterceptor grpcInterceptor(Logger log, String who) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        String why = reject(headers.get(AUTHORIZATION));
        if (why == null) {
          return next.startCall(call, headers);
        }
        log.debug("{}: unauthenticated call to {} from {}: {}", who, call.getMethodDescriptor().getFullMethodName(),
            call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR), why);
        call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
        return new ServerCall.Listener<>() {};
      }
    };
  }
}
