package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Cursors of the raw event listing: the last id shown, bound by a checksum to the tenant and the
 * filter. A cursor carries no authority (the listing is always limited to the caller's tenant), so
 * a keyless checksum is enough: it catches cursors edited by hand, truncated, or taken from another
 * tenant's or another filter's listing, which then fail with {@link InvalidInputException}.
 */
final class Cursors {
  private static final String VERSION = "1";

  private Cursors() {}

  static String encode(TenantId tenant, EventFilter filter, long lastId) {
    String body = VERSION + "." + lastId + "." + check(tenant, filter, lastId);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(body.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * @return the id to list below
   * @throws InvalidInputException if the cursor was not made by {@link #encode} for this listing
   */
  static long decode(TenantId tenant, EventFilter filter, String cursor) {
    String body;
    try {
      body = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    String[] parts = body.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      throw invalid();
    }
    long id;
    try {
      id = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      throw invalid();
    }
    if (!MessageDigest.isEqual(
        parts[2].getBytes(StandardCharsets.US_ASCII),
        check(tenant, filter, id).getBytes(StandardCharsets.US_ASCII))) {
      throw invalid();
    }
    return id;
  }

  private static String check(TenantId tenant, EventFilter f, long id) {
    String text =
        String.join(
            "\u0000",
            "tenantkit-usage-events",
            tenant.value(),
            String.valueOf(f.meter()),
            f.range() == null ? "-" : f.range().from() + "/" + f.range().to(),
            String.valueOf(f.userId()),
            String.valueOf(f.source()),
            Long.toString(id));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static InvalidInputException invalid() {
    return new InvalidInputException("cursor", "the cursor is not valid for this listing");
  }
}
