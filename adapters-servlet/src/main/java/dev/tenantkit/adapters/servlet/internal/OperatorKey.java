package dev.tenantkit.adapters.servlet.internal;

import dev.tenantkit.tenancy.DenialReason;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The operator key of the admin API. Only its SHA-256 hash is kept, and a presented key is hashed
 * and compared in constant time, so neither its content nor its length leaks through timing.
 */
public final class OperatorKey {
  /** The shortest operator key accepted. */
  public static final int MIN_LENGTH = 16;

  private static final String SCHEME = "bearer ";

  private final byte[] hash;

  private OperatorKey(byte[] hash) {
    this.hash = hash;
  }

  /**
   * Keeps the hash of {@code key}.
   *
   * @throws IllegalArgumentException if the key is shorter than {@value #MIN_LENGTH} characters or
   *     contains whitespace or control characters (it could never be presented intact)
   */
  public static OperatorKey of(String key) {
    if (key == null || key.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "the operator key must be at least " + MIN_LENGTH + " characters");
    }
    if (key.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException(
          "the operator key must not contain whitespace or control characters");
    }
    return new OperatorKey(sha256(key));
  }

  /**
   * Checks the {@code Authorization: Bearer} header of {@code request}.
   *
   * @throws HttpProblem 401 {@code missing-credential} without the header, 401 {@code
   *     invalid-credential} when it is not this key
   */
  public void check(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || header.isBlank()) {
      throw new HttpProblem(
          DenialReason.MISSING_CREDENTIAL.httpStatus(),
          DenialReason.MISSING_CREDENTIAL.code(),
          "the admin API needs 'Authorization: Bearer <operator key>'");
    }
    boolean bearer =
        header.length() > SCHEME.length()
            && header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME);
    byte[] presented = sha256(bearer ? header.substring(SCHEME.length()).strip() : "");
    if (!MessageDigest.isEqual(hash, presented) || !bearer) {
      throw new HttpProblem(
          DenialReason.INVALID_CREDENTIAL.httpStatus(),
          DenialReason.INVALID_CREDENTIAL.code(),
          "the credential is not the operator key");
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
