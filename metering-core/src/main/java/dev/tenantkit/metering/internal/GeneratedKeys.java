package dev.tenantkit.metering.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
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
  private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final byte[] prefix;
  private final AtomicLong counter = new AtomicLong();

  private GeneratedKeys(String prefix) {
    this.prefix = prefix.getBytes(StandardCharsets.US_ASCII);
  }

  /** Keys under a prefix drawn from a {@link SecureRandom}. */
  static GeneratedKeys create() {
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    return new GeneratedKeys("g" + HEX.formatHex(random) + "-");
  }

  /**
   * A source of {@code count} consecutive keys, reserved at once, for one thread: the writer of a
   * buffer makes a key per event, so this is hot, and a block costs one atomic operation and one
   * array per key instead of one each and three.
   */
  Block reserve(int count) {
    return new Block(counter.getAndAdd(count));
  }

  /** The next key; {@code reserve(1)} and its key. */
  String next() {
    return reserve(1).next();
  }

  /** Consecutive keys reserved by {@link #reserve}. Not thread-safe. */
  final class Block {
    private final byte[] scratch = Arrays.copyOf(prefix, prefix.length + 16);
    private long next;

    private Block(long first) {
      this.next = first;
    }

    /** The next key of the block; the caller takes no more than it reserved. */
    String next() {
      long n = next++;
      for (int i = scratch.length - 1; i >= prefix.length; i--) {
        scratch[i] = DIGITS[(int) (n & 0xF)];
        n >>>= 4;
      }
      return new String(scratch, StandardCharsets.ISO_8859_1);
    }
  }
}
