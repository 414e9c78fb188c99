package dev.tenantkit.metering.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The idempotency key of a CloudEvent: CloudEvents makes {@code source} + {@code id} unique, so the
 * key is made of both. {@code ce:<length of source>:<source>:<id>} when that is printable ASCII of
 * at most 128 characters (the limit of a key); the length prefix keeps it unambiguous, since a
 * source may contain {@code :}. Otherwise {@code ce#} and the unpadded base64url SHA-256 of that
 * same text in UTF-8 (46 characters). The two forms cannot collide: they start differently.
 * Stateless and thread-safe.
 */
final class IdempotencyKeys {
  private static final int MAX_KEY = 128;

  private IdempotencyKeys() {}

  static String of(String source, String id) {
    String plain = "ce:" + source.length() + ":" + source + ":" + id;
    if (plain.length() <= MAX_KEY && printableAscii(plain)) {
      return plain;
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(plain.getBytes(StandardCharsets.UTF_8));
      return "ce#" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }
}
