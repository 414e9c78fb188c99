package dev.tenantkit.tenancy;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The identity of a tenant: 1 to 64 characters of {@code a-z 0-9 - _}, so two ids are equal exactly
 * when they name the same tenant. Immutable and thread-safe.
 *
 * <p>{@link #of(String)} validates an id exactly as given: it neither trims nor lower-cases, so
 * {@code "Acme"}, {@code " acme"} and {@code "acme\n"} are refused rather than taken for {@code
 * acme}, and no Unicode character (such as the Kelvin sign U+212A, which {@link
 * String#toLowerCase(Locale)} turns into {@code k}) can fold into an ASCII id. An input channel
 * whose names are case-insensitive by definition (DNS host names) folds ASCII letters explicitly
 * before calling {@link #of(String)}, with {@link #asciiLowerCase(String)}.
 *
 * @param value the id
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
   * Validates a tenant id taken from outside, exactly as given.
   *
   * @param raw the id as given, for example from a header or a JWT claim
   * @return the tenant id
   * @throws InvalidTenantIdException if it is null, empty, longer than 64 characters or has a
   *     character outside {@code a-z 0-9 - _} (upper-case letters and white space included)
   */
  public static TenantId of(String raw) {
    if (raw == null) {
      throw new InvalidTenantIdException("tenant id is missing");
    }
    return new TenantId(raw);
  }

  /** Whether {@link #of(String)} would accept {@code raw}: it is already a valid tenant id. */
  public static boolean isValid(String raw) {
    return raw != null && VALID.matcher(raw).matches();
  }

  /**
   * Lower-cases the ASCII letters {@code A-Z} of {@code raw} and leaves every other character as it
   * is, for input channels that are case-insensitive by definition, such as DNS host names. Unlike
   * {@link String#toLowerCase(Locale)} it never maps a non-ASCII character into ASCII, so a folded
   * value that {@link #of(String)} accepts was ASCII to begin with.
   *
   * @param raw the text to fold, may be null
   * @return the folded text, or null if {@code raw} is null
   */
  public static String asciiLowerCase(String raw) {
    if (raw == null) {
      return null;
    }
    char[] chars = raw.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  private static String describe(String value) {
    if (value == null || value.isEmpty()) {
      return "tenant id is empty";
    }
    if (value.length() > 64) {
      return "tenant id is longer than 64 characters";
    }
    return "tenant id may contain only a-z, 0-9, '-' and '_' (no upper case, no white space)";
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
