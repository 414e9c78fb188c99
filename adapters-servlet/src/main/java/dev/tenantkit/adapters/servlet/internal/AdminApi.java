package dev.tenantkit.adapters.servlet.internal;

import dev.tenantkit.adapters.servlet.AdminResponse;
import dev.tenantkit.adapters.servlet.AdminRoute;
import dev.tenantkit.adapters.servlet.Problems;
import dev.tenantkit.adapters.servlet.QueryStrings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Routes the requests of {@link dev.tenantkit.adapters.servlet.TenantAdminServlet}: checks the
 * operator key, finds the route, and writes its answer as JSON or a refusal as a problem. Immutable
 * and thread-safe.
 */
public final class AdminApi {
  private final OperatorKey operatorKey;
  private final List<Compiled> routes;

  /**
   * Serves {@code routes}.
   *
   * @param operatorKey the key every request must present
   * @param routes every route of the servlet, built-in ones first
   * @throws IllegalArgumentException if two routes have the same method and patterns that match the
   *     same path
   */
  public AdminApi(OperatorKey operatorKey, List<AdminRoute> routes) {
    this.operatorKey = Objects.requireNonNull(operatorKey, "operatorKey");
    List<Compiled> compiled = new ArrayList<>();
    for (AdminRoute route : routes) {
      Compiled c = new Compiled(route, RoutePattern.parse(route.pattern()));
      for (Compiled earlier : compiled) {
        if (earlier.route().method().equals(route.method())
            && earlier.pattern().overlaps(c.pattern())) {
          throw new IllegalArgumentException(
              "admin route "
                  + route.method()
                  + " "
                  + route.pattern()
                  + " matches the same paths as "
                  + earlier.route().method()
                  + " "
                  + earlier.route().pattern());
        }
      }
      compiled.add(c);
    }
    this.routes = List.copyOf(compiled);
  }

  /**
   * Answers one request. The answer is serialised before anything is sent, so a failure never
   * leaves a half-written answer.
   *
   * @throws IOException if the request cannot be read or the answer cannot be written
   */
  public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
    AdminResponse reply;
    try {
      operatorKey.check(request);
      QueryStrings.requireDecodable(request.getQueryString());
      reply = route(request);
    } catch (RuntimeException e) {
      Problems.writeFailure(request, response, e);
      return;
    }
    byte[] bytes = reply.body() == null ? null : JsonFields.MAPPER.writeValueAsBytes(reply.body());
    response.setStatus(reply.status());
    response.setHeader("Cache-Control", "no-store");
    reply.headers().forEach(response::setHeader);
    if (bytes != null) {
      response.setContentType("application/json");
      response.setContentLength(bytes.length);
      response.getOutputStream().write(bytes);
    }
  }

  private AdminResponse route(HttpServletRequest request) throws IOException {
    String method = request.getMethod();
    String pathInfo = request.getPathInfo();
    List<String> segments =
        pathInfo == null || pathInfo.length() < 2
            ? List.of()
            : Arrays.asList(pathInfo.substring(1).split("/", -1));
    // An empty segment ("/tenants/", "/tenants//suspend") names no resource.
    if (segments.isEmpty() || segments.contains("")) {
      throw notFound();
    }
    Set<String> allowed = new LinkedHashSet<>();
    for (Compiled c : routes) {
      Map<String, String> variables = c.pattern().match(segments);
      if (variables == null) {
        continue;
      }
      if (c.route().method().equals(method)) {
        return c.route().handler().handle(new ServletAdminRequest(request, pathInfo, variables));
      }
      allowed.add(c.route().method());
    }
    if (allowed.isEmpty()) {
      throw notFound();
    }
    String allow = String.join(", ", allowed);
    throw new HttpProblem(
        405, "method-not-allowed", "this route accepts only " + allow, Map.of("Allow", allow));
  }

  private static HttpProblem notFound() {
    return new HttpProblem(404, "route-not-found", "the admin API has no such route");
  }

  private record Compiled(AdminRoute route, RoutePattern pattern) {}
}
