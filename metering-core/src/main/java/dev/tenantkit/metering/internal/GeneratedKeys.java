package dev.tenantkit.metering.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Idempotency keys for events recorded without one. A key only has to be unique for its tenant, not
 * unpredictable, so instead of a random UUID per event (a {@code SecureRandom} call each) a key is
 * a random prefix drawn once per instance followed by a counter: {@code g} and 24 hex digits (96
 * random bits), a dash, and the counter in 16 hex digits, 42 characters in all. Within an instance
 * the counter never repeats; two instances, or one instance before and after a restart, differ in
 * their prefix except with a probability of about {@code n^2 / 2^97} for {@code n} instances ever
 * started. Zero-padding keeps one instance's keys ascending, which suits the key index. A generated
 * key is never 64 hex digits, so it can never pass for a payload hash. Thread-safe.
 */
final class GeneratedKeys {
  private static final HexFormat HEX = HexFormat.of();

  private final String prefix;
  private final AtomicLong counter = new AtomicLong();

  private GeneratedKeys(String prefix) {
    this.prefix = prefix;
  }

  /** Keys under a prefix drawn from a {@link SecureRandom}. */
  static GeneratedKeys create() {
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    return new GeneratedKeys("g" + HEX.formatHex(random) + "-");
  }

  /** The next key. */
  String next() {
    return prefix.concat(HEX.toHexDigits(counter.getAndIncrement()));
  }
}
