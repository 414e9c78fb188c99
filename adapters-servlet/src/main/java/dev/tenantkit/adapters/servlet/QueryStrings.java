package dev.tenantkit.adapters.servlet;

import dev.tenantkit.tenancy.InvalidInputException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Refuses a query string with a broken percent-escape ({@code period=%zz}). Servlet containers drop
 * such a parameter without a word (Tomcat logs it once at most), so the request would run as if it
 * had not been sent: a default would answer a request that asked for something else. The operator
 * API checks every request with it; an application's own routes can too ({@code
 * requireDecodable(request.getQueryString())} before reading parameters). Thread-safe.
 */
public final class QueryStrings {
  /** A {@code %} not followed by two hex digits. */
  private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

  private QueryStrings() {}

  /**
   * @param rawQuery the query string as sent, {@code null} when there is none
   * @throws InvalidInputException naming the parameter (or {@code query} when its name is broken
   *     too) if a name or value has a broken percent-escape
   */
  public static void requireDecodable(String rawQuery) {
    if (rawQuery == null || rawQuery.indexOf('%') < 0) {
      return;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (!BROKEN_ESCAPE.matcher(pair).find()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String field =
          BROKEN_ESCAPE.matcher(name).find() || name.isEmpty()
              ? "query"
              : URLDecoder.decode(name, StandardCharsets.UTF_8);
      throw new InvalidInputException(
          field,
          field + " is not percent-encoded correctly: a '%' must be followed by two hex digits");
    }
  }
}
