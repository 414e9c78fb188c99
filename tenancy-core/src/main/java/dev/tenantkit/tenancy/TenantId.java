package dev.tenantkit.tenancy;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The identity of a tenant: 1 to 64 characters of {@code a-z 0-9 - _}. {@link #of(String)}
 * normalises (trims, lower-cases) and validates, so two ids are equal exactly when they name the
 * same tenant. Immutable and thread-safe.
 *
 * @param value the normalised id
 */
public record TenantId(String value) implements Comparable<TenantId> {
  private static final Pattern VALID = Pattern.compile("[a-z0-9_-]{1,64}");

  /**
   * @throws InvalidTenantIdException if {@code value} is not already normalised and valid
   */
  public TenantId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new InvalidTenantIdException(describe(value));
    }
  }

  /**
   * Normalises and validates a tenant id taken from outside.
   *
   * @param raw the id as given, for example from a header or a JWT claim
   * @return the tenant id
   * @throws InvalidTenantIdException if it is null, empty, longer than 64 characters or has a
   *     character outside {@code a-z 0-9 - _}
   */
  public static TenantId of(String raw) {
    if (raw == null) {
      throw new InvalidTenantIdException("tenant id is missing");
    }
    return new TenantId(raw.strip().toLowerCase(Locale.ROOT));
  }

  /** Whether {@link #of(String)} would accept {@code raw}. */
  public static boolean isValid(String raw) {
    return raw != null && VALID.matcher(raw.strip().toLowerCase(Locale.ROOT)).matches();
  }

  private static String describe(String value) {
    if (value == null || value.isEmpty()) {
      return "tenant id is empty";
    }
    if (value.length() > 64) {
      return "tenant id is longer than 64 characters";
    }
    return "tenant id may contain only a-z, 0-9, '-' and '_'";
  }

  @Override
  public int compareTo(TenantId other) {
    return value.compareTo(other.value);
  }

  // equals and hashCode by hand: the record's generated ones go through an invokedynamic bootstrap
  // that the JIT does not always reduce to a field read, and tenant ids are map keys on hot paths.
  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof TenantId other && value.equals(other.value));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
