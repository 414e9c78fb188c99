package dev.tenantkit.adapters.servlet;

import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.spi.RequestView;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
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
 * <p>The {@linkplain #remoteAddress() remote address} is the value of the request attribute {@value
 * #PEER_ADDRESS_ATTRIBUTE} when the server integration set one, and {@link
 * HttpServletRequest#getRemoteAddr()} otherwise. The attribute exists because {@code
 * getRemoteAddr()} is not always the TCP peer: Tomcat's {@code RemoteIpValve}, Spring's {@code
 * ForwardedHeaderFilter} and Jetty's {@code ForwardedRequestCustomizer} replace it with an address
 * taken from {@code X-Forwarded-For} or {@code Forwarded}, which a client can write. Tenantkit's
 * Spring Boot auto-configuration sets the attribute on an embedded Tomcat from the connection
 * itself; another host that rewrites {@code getRemoteAddr()} sets it from its connection, or does
 * not use the gateway resolver (see docs/deployment.md).
 *
 * <p>Reads headers from the request on each call; use it only while the request is being handled,
 * on the thread that handles it.
 */
public final class ServletRequestView implements RequestView {
  /**
   * The request attribute that, when set by the server integration, holds the address of the TCP
   * peer (a {@link String} literal address) for {@link #remoteAddress()}.
   */
  public static final String PEER_ADDRESS_ATTRIBUTE = "dev.tenantkit.peerAddress";

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

  /** Counts up to two: more than one is all a caller needs to know. */
  @Override
  public int headerCount(String name) {
    Enumeration<String> values = request.getHeaders(name);
    int count = 0;
    while (values != null && values.hasMoreElements() && count < 2) {
      values.nextElement();
      count++;
    }
    return count;
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

  /**
   * The TCP peer: the {@value #PEER_ADDRESS_ATTRIBUTE} attribute if the server integration set it,
   * else {@link HttpServletRequest#getRemoteAddr()}.
   */
  @Override
  public String remoteAddress() {
    return request.getAttribute(PEER_ADDRESS_ATTRIBUTE) instanceof String peer
        ? peer
        : request.getRemoteAddr();
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
