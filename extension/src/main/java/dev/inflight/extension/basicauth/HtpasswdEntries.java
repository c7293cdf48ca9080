package dev.inflight.extension.basicauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * htpasswd lines {@code user:hash}, as Apache's htpasswd writes them: bcrypt ({@code $2y$},
 * {@code $2a$}, {@code $2b$}), SHA1 ({@code {SHA}}), salted SHA1 ({@code {SSHA}}) and, as the
 * Collector's go-htpasswd, plain text. MD5 ({@code $apr1$}) and crypt ({@code $5$}, {@code $6$},
 * DES) are refused with a message saying how to write the line instead. A later line for a user
 * replaces an earlier one.
 */
final class HtpasswdEntries {
  private final Map<String, String> hashes;

  private HtpasswdEntries(Map<String, String> hashes) {
    this.hashes = hashes;
  }

  /** @param problem called with the 1-based line number and why it is refused */
  static HtpasswdEntries parse(String text, String source, BiConsumer<Integer, String> problem) {
    Map<String, String> out = new HashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        problem.accept(i + 1, "an htpasswd line is user:hash (in " + source + ")");
        continue;
      }
      String user = line.substring(0, colon);
      String hash = line.substring(colon + 1);
      String why = unsupported(hash);
      if (why != null) {
        problem.accept(i + 1, "user \"" + user + "\": " + why);
        continue;
      }
      out.put(user, hash);
    }
    return new HtpasswdEntries(out);
  }

  /** These entries, then {@code later}'s, which win for a user in both. */
  HtpasswdEntries then(HtpasswdEntries later) {
    Map<String, String> m = new HashMap<>(hashes);
    m.putAll(later.hashes);
    return new HtpasswdEntries(m);
  }

  boolean isEmpty() {
    return hashes.isEmpty();
  }

  private static String unsupported(String hash) {
    if (hash.startsWith("$apr1$") || hash.startsWith("$1$")) {
      return "MD5 ($apr1$) hashes are not supported; write the line with bcrypt: htpasswd -nbB <user> <password>";
    }
    if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
      return "crypt SHA-256/512 ($5$, $6$) hashes are not supported; write the line with bcrypt: htpasswd -nbB <user> <password>";
    }
    if (isBcrypt(hash)) {
      return hash.length() == 60 ? null : "a bcrypt hash is 60 characters long (got " + hash.length() + ")";
    }
    if (hash.startsWith("{SHA}") || hash.startsWith("{SSHA}")) {
      try {
        byte[] raw = Base64.getDecoder().decode(hash.substring(hash.indexOf('}') + 1));
        return raw.length == 20 || (hash.startsWith("{SSHA}") && raw.length > 20) ? null : "a {SHA} hash is base64 of 20 bytes";
      } catch (IllegalArgumentException e) {
        return "a {SHA} hash is base64 of 20 bytes";
      }
    }
    return null; // plain text
  }

  private static boolean isBcrypt(String hash) {
    return hash.startsWith("$2y$") || hash.startsWith("$2a$") || hash.startsWith("$2b$");
  }

  /**
   * Whether {@code password} is {@code user}'s. An unknown user costs a bcrypt check too (against
   * a fixed hash), so the time taken does not say whether a user exists.
   */
  boolean matches(String user, String password) {
    String hash = hashes.get(user);
    if (hash == null) {
      OpenBSDBCrypt.checkPassword(UNKNOWN_USER, password.toCharArray());
      return false;
    }
    if (isBcrypt(hash)) {
      return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    }
    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
    if (hash.startsWith("{SHA}")) {
      return MessageDigest.isEqual(Base64.getDecoder().decode(hash.substring(5)), sha1(pw));
    }
    if (hash.startsWith("{SSHA}")) {
      byte[] raw = Base64.getDecoder().decode(hash.substring(6));
      byte[] salt = Arrays.copyOfRange(raw, 20, raw.length);
      byte[] salted = Arrays.copyOf(pw, pw.length + salt.length);
      System.arraycopy(salt, 0, salted, pw.length, salt.length);
      return MessageDigest.isEqual(Arrays.copyOf(raw, 20), sha1(salted));
    }
    // Plain text: compare digests so the time taken says nothing about the length.
    return MessageDigest.isEqual(sha256(hash.getBytes(StandardCharsets.UTF_8)), sha256(pw));
  }

  /** bcrypt of a random password, cost 5: only ever compared against, never matched. */
  private static final String UNKNOWN_USER = unknownUserHash();

  private static String unknownUserHash() {
    java.security.SecureRandom random = new java.security.SecureRandom();
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return OpenBSDBCrypt.generate("2b", Long.toHexString(random.nextLong()).toCharArray(), salt, 5);
  }

  private static byte[] sha1(byte[] b) {
    return digest("SHA-1", b);
  }

  private static byte[] sha256(byte[] b) {
    return digest("SHA-256", b);
  }

  private static byte[] digest(String algorithm, byte[] b) {
    try {
      return MessageDigest.getInstance(algorithm).digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + algorithm, e);
    }
  }
}
