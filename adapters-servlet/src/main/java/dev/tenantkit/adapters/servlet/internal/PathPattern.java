package dev.tenantkit.adapters.servlet.internal;

/**
 * A path pattern of the filter configuration: an exact path such as {@code /health}, or a prefix
 * pattern ending in {@code /**} such as {@code /admin/**}, which matches {@code /admin} and every
 * path below it. Immutable.
 *
 * @param pattern the pattern as configured
 * @param base the pattern without a trailing {@code /**}
 * @param prefix whether the pattern matches everything below {@code base}
 */
public record PathPattern(String pattern, String base, boolean prefix) {
  private static final String ANY_BELOW = "/**";

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException if it does not start with {@code /} or has a {@code *}
   *     anywhere but in a trailing {@code /**}
   */
  public static PathPattern parse(String pattern) {
    if (pattern == null || !pattern.strip().startsWith("/")) {
      throw new IllegalArgumentException("a path pattern must start with '/': " + pattern);
    }
    String p = pattern.strip();
    boolean prefix = p.endsWith(ANY_BELOW);
    String base = prefix ? p.substring(0, p.length() - ANY_BELOW.length()) : p;
    if (base.contains("*")) {
      throw new IllegalArgumentException(
          "only exact paths and a trailing '/**' are supported: " + pattern);
    }
    return new PathPattern(p, base, prefix);
  }

  /** Whether {@code path} (decoded, without the context path) matches this pattern. */
  public boolean matches(String path) {
    if (!prefix) {
      return path.equals(base);
    }
    // "/**" has an empty base and matches everything; "/a/**" matches "/a" but not "/ab".
    return base.isEmpty() || path.equals(base) || path.startsWith(base + "/");
  }
}
