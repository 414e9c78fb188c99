package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.UsageEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SHA-256 of an event's canonical payload: what must be equal for a second event under a used
 * idempotency key to be a duplicate rather than a conflict. Fields are length-prefixed so no two
 * payloads share an encoding; maps are sorted; the quantity is normalised. The tenant and the key
 * are not part of it (they are the key), nor is a timestamp the meter stamped itself. Version 1;
 * changing the encoding would turn every retry across the upgrade into a conflict, so it never
 * changes.
 */
final class PayloadHash {
  private PayloadHash() {}

  /**
   * @param event the event as the caller gave it, quantity normalised
   * @param explicitTimestamp the caller's timestamp truncated to microseconds, or {@code null}
   */
  static String of(UsageEvent event, Instant explicitTimestamp) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    field(out, "v1");
    field(out, event.meter());
    field(out, Quantities.normalize(event.quantity()).toPlainString());
    field(out, explicitTimestamp == null ? null : explicitTimestamp.toString());
    map(out, event.dimensions());
    map(out, event.properties());
    field(out, event.userId());
    field(out, event.source());
    return HexFormat.of().formatHex(sha256().digest(out.toByteArray()));
  }

  private static void map(ByteArrayOutputStream out, Map<String, String> map) {
    Map<String, String> sorted = new TreeMap<>(map);
    int n = sorted.size();
    out.write(n >>> 8);
    out.write(n);
    sorted.forEach(
        (k, v) -> {
          field(out, k);
          field(out, v);
        });
  }

  private static void field(ByteArrayOutputStream out, String s) {
    if (s == null) {
      out.write(0xFF);
      out.write(0xFF);
      out.write(0xFF);
      out.write(0xFF);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >>> 24);
    out.write(b.length >>> 16);
    out.write(b.length >>> 8);
    out.write(b.length);
    out.write(b, 0, b.length);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
