package dev.tenantkit.adapters.servlet;

import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.spi.RequestView;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link RequestView} over an {@link HttpServletRequest}, for code that calls {@link
 * dev.tenantkit.tenancy.TenantAccess} itself instead of using {@link TenantFilter}.
 *
 * <p>The {@linkplain #path() path} is the path within the application as the container decoded,
 * normalised and mapped it (servlet path plus path info), so that it is the same path the container
 * routes on: a raw request URI such as {@code /x/../t/b} or {@code /t/%62} could otherwise name a
 * different path than the one that is served. Where a container leaves servlet path and path info
 * empty (mock requests), the request URI minus the context path is used instead.
 *
 * <p>Reads headers from the request on each call; use it only while the request is being handled,
 * on the thread that handles it.
 */
public final class ServletRequestView implements RequestView {
  private final HttpServletRequest request;
  private final String path;

  private ServletRequestView(HttpServletRequest request) {
    this.request = request;
    this.path = pathWithinApplication(request);
  }

  /**
   * A view of {@code request}.
   *
   * @throws NullPointerException if {@code request} is null
   */
  public static ServletRequestView of(HttpServletRequest request) {
    return new ServletRequestView(Objects.requireNonNull(request, "request"));
  }

  @Override
  public Optional<String> header(String name) {
    return Optional.ofNullable(request.getHeader(name));
  }

  @Override
  public String host() {
    String host = request.getServerName();
    // ASCII letters only: a full Unicode lower-casing would turn a Kelvin sign into 'k'.
    return host == null ? "" : TenantId.asciiLowerCase(host);
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String remoteAddress() {
    return request.getRemoteAddr();
  }

  private static String pathWithinApplication(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    String mapped = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    if (!mapped.isEmpty()) {
      return mapped;
    }
    String uri = request.getRequestURI() == null ? "" : request.getRequestURI();
    String context = request.getContextPath() == null ? "" : request.getContextPath();
    String rest = uri.startsWith(context) ? uri.substring(context.length()) : uri;
    return rest.isEmpty() ? "/" : rest;
  }
}
