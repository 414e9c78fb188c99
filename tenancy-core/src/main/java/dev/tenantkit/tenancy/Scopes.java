package dev.tenantkit.tenancy;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Scope names and how a granted scope covers a required one. A scope is 1 to 64 characters of
 * {@code a-z 0-9 _ . : -}; {@code *} grants everything and {@code area:*} grants every scope that
 * starts with {@code area:}.
 */
public final class Scopes {
  /** The scope that grants full access to the tenant. */
  public static final String ALL = "*";

  private static final Pattern VALID = Pattern.compile("\\*|[a-z0-9_.:-]{1,62}(:\\*)?");

  private Scopes() {}

  /**
   * Validates scope names.
   *
   * @param scopes the scopes, not empty
   * @return the same scopes as an immutable set
   * @throws InvalidInputException if there are none, more than 50, or one is malformed
   */
  public static Set<String> validate(Collection<String> scopes) {
    if (scopes == null || scopes.isEmpty()) {
      throw new InvalidInputException("scopes", "at least one scope is required");
    }
    if (scopes.size() > 50) {
      throw new InvalidInputException("scopes", "at most 50 scopes");
    }
    Set<String> out = new LinkedHashSet<>();
    for (String s : scopes) {
      if (s == null || !VALID.matcher(s).matches()) {
        throw new InvalidInputException("scopes", "'" + s + "' is not a valid scope");
      }
      out.add(s);
    }
    return Set.copyOf(out);
  }

  /** Whether any of {@code granted} covers {@code required}. */
  public static boolean grants(Set<String> granted, String required) {
    for (String g : granted) {
      if (g.equals(ALL) || g.equals(required)) {
        return true;
      }
      if (g.endsWith(":*") && required.startsWith(g.substring(0, g.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
