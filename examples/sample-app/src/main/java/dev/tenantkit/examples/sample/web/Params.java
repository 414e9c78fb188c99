package dev.tenantkit.examples.sample.web;

import dev.tenantkit.tenancy.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Parses query parameters the way the API documents them, refusing anything else with an {@link
 * InvalidInputException} that names the parameter (answered 400 by the tenant filter).
 */
public final class Params {
  private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

  private Params() {}

  /**
   * A page size: {@code fallback} when absent, else a whole number from 1 to {@code max}.
   *
   * @throws InvalidInputException (field {@code name}) otherwise
   */
  public static int limit(String name, String raw, int fallback, int max) {
    if (raw == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(raw.strip());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Answered below with the same message as a number out of range.
    }
    throw new InvalidInputException(name, name + " must be a whole number from 1 to " + max);
  }

  /**
   * An instant in ISO-8601 ({@code 2026-01-31T00:00:00Z}) from 1970 to 9999, or {@code null} when
   * absent. The bounds keep it within what every database stores.
   *
   * @throws InvalidInputException (field {@code name}) when it is not one
   */
  public static Instant instant(String name, String raw) {
    if (raw == null) {
      return null;
    }
    try {
      Instant t = Instant.parse(raw.strip());
      if (!t.isBefore(Instant.EPOCH) && t.isBefore(LATEST)) {
        return t;
      }
    } catch (DateTimeParseException e) {
      // Answered below, like an instant out of bounds.
    }
    throw new InvalidInputException(
        name,
        name + " must be an ISO-8601 instant from 1970 to 9999, such as 2026-01-31T00:00:00Z");
  }
}
