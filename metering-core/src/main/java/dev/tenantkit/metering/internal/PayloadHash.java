package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.UsageEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * The SHA-256 of an event's canonical payload: what must be equal for a second event under a used
 * idempotency key to be a duplicate rather than a conflict. Fields are length-prefixed so no two
 * payloads share an encoding; maps are sorted; the quantity is normalised. The tenant and the key
 * are not part of it (they are the key), nor is a timestamp the meter stamped itself. Version 1;
 * changing the encoding would turn every retry across the upgrade into a conflict, so it never
 * changes ({@code PayloadHashTest} pins it).
 */
final class PayloadHash {
  /**
   * Kept instead of a hash for an event whose key the meter generated. Such a key is never retried,
   * so the hash is never compared; any other event that names the key is a conflict, since no hex
   * SHA-256 equals this marker. The store's column is {@code not null}, hence a marker rather than
   * nothing.
   */
  static final String NOT_COMPARED = "-";

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] VERSION = "v1".getBytes(StandardCharsets.US_ASCII);

  // Looking a digest up by name costs more than hashing a small payload; a never-used prototype is
  // cloned instead, which is safe from any thread since nothing ever changes its state.
  private static final MessageDigest PROTOTYPE = sha256();

  private PayloadHash() {}

  /**
   * @param event the event as the caller gave it
   * @param quantity its quantity, normalised
   * @param explicitTimestamp the caller's timestamp truncated to microseconds, or {@code null}
   */
  static String of(UsageEvent event, BigDecimal quantity, Instant explicitTimestamp) {
    Encoder out = new Encoder();
    out.field(VERSION);
    out.field(event.meter());
    out.field(quantity.toPlainString());
    out.field(explicitTimestamp == null ? null : explicitTimestamp.toString());
    out.map(event.dimensions());
    out.map(event.properties());
    out.field(event.userId());
    out.field(event.source());
    MessageDigest digest = newDigest();
    digest.update(out.buf, 0, out.len);
    return HEX.formatHex(digest.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return sha256();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The version 1 encoding: big-endian lengths, -1 for null, maps by ascending key. */
  private static final class Encoder {
    private byte[] buf = new byte[128];
    private int len;

    void map(Map<String, String> map) {
      int n = map.size();
      ensure(2);
      buf[len++] = (byte) (n >>> 8);
      buf[len++] = (byte) n;
      String[] keys = map.keySet().toArray(new String[0]);
      Arrays.sort(keys);
      for (String k : keys) {
        field(k);
        field(map.get(k));
      }
    }

    void field(String s) {
      if (s == null) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
          buf[len++] = (byte) 0xFF;
        }
        return;
      }
      field(s.getBytes(StandardCharsets.UTF_8));
    }

    void field(byte[] b) {
      ensure(4 + b.length);
      buf[len++] = (byte) (b.length >>> 24);
      buf[len++] = (byte) (b.length >>> 16);
      buf[len++] = (byte) (b.length >>> 8);
      buf[len++] = (byte) b.length;
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }

    private void ensure(int more) {
      if (len + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
      }
    }
  }
}
