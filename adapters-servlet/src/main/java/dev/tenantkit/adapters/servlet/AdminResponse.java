package dev.tenantkit.adapters.servlet;

import java.util.Map;

/**
 * The answer of an {@link AdminRoute.Handler}: a status, a body written as JSON ({@code
 * application/json}) and extra headers. Every answer also gets {@code Cache-Control: no-store}.
 *
 * <p>The body is written by a plain Jackson {@code ObjectMapper}: records, maps, lists, strings,
 * numbers and booleans as usual; give times as ISO-8601 strings. Immutable.
 *
 * @param status the HTTP status, 200 to 299
 * @param body what to write as JSON, or {@code null} for no body
 * @param headers extra headers, such as {@code Location}
 */
public record AdminResponse(int status, Object body, Map<String, String> headers) {

  /**
   * Checks the status and copies the headers.
   *
   * @throws IllegalArgumentException if the status is not a 2xx (refusals are problems, thrown as
   *     exceptions) or a body is given with 204
   */
  public AdminResponse {
    if (status < 200 || status > 299) {
      throw new IllegalArgumentException(
          "an admin response is a 2xx; refuse with a TenantkitException instead, got " + status);
    }
    if (status == 204 && body != null) {
      throw new IllegalArgumentException("a 204 answer has no body");
    }
    headers = Map.copyOf(headers);
  }

  /** 200 with {@code body}. */
  public static AdminResponse ok(Object body) {
    return new AdminResponse(200, body, Map.of());
  }

  /** 201 with {@code body} and {@code Location: location}. */
  public static AdminResponse created(Object body, String location) {
    return new AdminResponse(201, body, Map.of("Location", location));
  }

  /** 204 without a body. */
  public static AdminResponse noContent() {
    return new AdminResponse(204, null, Map.of());
  }
}
