package dev.tenantkit.adapters.servlet;

import dev.tenantkit.adapters.servlet.internal.RoutePattern;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;

/**
 * One route of the operator API: an HTTP method, a path pattern relative to the servlet path and
 * the handler that answers it. A pattern is made of literal segments and whole-segment variables,
 * such as {@code /tenants/{id}/quotas/{name}}; {@link AdminRequest#pathVariable(String)} reads the
 * variables. Immutable and thread-safe.
 *
 * <p>Two routes of one servlet may not have the same method and patterns that match the same path
 * ({@code GET /tenants/{id}} and {@code GET /tenants/stats} would both match {@code
 * /tenants/stats}); {@link TenantAdminServlet.Builder#build()} refuses them.
 *
 * @param method {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
 * @param pattern the path pattern, starting with {@code /}
 * @param handler what answers a matching request
 */
public record AdminRoute(String method, String pattern, Handler handler) {
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  /**
   * Checks the route.
   *
   * @throws IllegalArgumentException if the method is not one of the five above or the pattern is
   *     malformed
   * @throws NullPointerException if the handler is null
   */
  public AdminRoute {
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException(
          "an admin route's method is GET, POST, PUT, PATCH or DELETE, not '" + method + "'");
    }
    RoutePattern.parse(pattern);
    Objects.requireNonNull(handler, "handler");
  }

  /** A {@code GET} route; see {@link #AdminRoute}. */
  public static AdminRoute get(String pattern, Handler handler) {
    return new AdminRoute("GET", pattern, handler);
  }

  /** A {@code POST} route; see {@link #AdminRoute}. */
  public static AdminRoute post(String pattern, Handler handler) {
    return new AdminRoute("POST", pattern, handler);
  }

  /** A {@code PUT} route; see {@link #AdminRoute}. */
  public static AdminRoute put(String pattern, Handler handler) {
    return new AdminRoute("PUT", pattern, handler);
  }

  /** A {@code PATCH} route; see {@link #AdminRoute}. */
  public static AdminRoute patch(String pattern, Handler handler) {
    return new AdminRoute("PATCH", pattern, handler);
  }

  /** A {@code DELETE} route; see {@link #AdminRoute}. */
  public static AdminRoute delete(String pattern, Handler handler) {
    return new AdminRoute("DELETE", pattern, handler);
  }

  /** Answers the requests of one route. Implementations must be thread-safe. */
  @FunctionalInterface
  public interface Handler {

    /**
     * Answers one request. The answer is written only after this returns, so an exception never
     * leaves a half-written response.
     *
     * @return the answer; its body is written as JSON
     * @throws dev.tenantkit.tenancy.TenantkitException for refused input or a missing resource,
     *     answered as its problem (see {@link Problems#forFailure})
     * @throws IOException if the request cannot be read
     */
    AdminResponse handle(AdminRequest request) throws IOException;
  }
}
