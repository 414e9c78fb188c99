package dev.tenantkit.adapters.servlet.internal;

import dev.tenantkit.tenancy.InvalidInputException;

/**
 * The {@code limit} query parameter of every list route: a page of 1 to 1000 items, 50 when the
 * parameter is absent or empty. One rule, so every list answers a bad limit with the same 400.
 */
public final class PageLimit {
  static final int DEFAULT = 50;
  static final int MAX = 1000;

  private PageLimit() {}

  /**
   * The page size {@code text} asks for.
   *
   * @param text the parameter's value, or {@code null} when absent
   * @throws InvalidInputException (field {@code limit}) when it is not a whole number from 1 to
   *     1000
   */
  public static int parse(String text) {
    if (text == null || text.isEmpty()) {
      return DEFAULT;
    }
    InvalidInputException invalid =
        new InvalidInputException("limit", "must be an integer between 1 and " + MAX);
    int limit;
    try {
      limit = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw invalid;
    }
    if (limit < 1 || limit > MAX) {
      throw invalid;
    }
    return limit;
  }
}
