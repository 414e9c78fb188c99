package dev.tenantkit.adapters.servlet.internal;

import dev.tenantkit.adapters.servlet.AdminRequest;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@link AdminRequest} of one servlet request matched to a route. */
final class ServletAdminRequest implements AdminRequest {
  private static final Set<String> JSON = Set.of("application/json");

  private final HttpServletRequest request;
  private final String path;
  private final Map<String, String> variables;

  ServletAdminRequest(HttpServletRequest request, String path, Map<String, String> variables) {
    this.request = request;
    this.path = path;
    this.variables = variables;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String pathVariable(String name) {
    String value = variables.get(name);
    if (value == null) {
      throw new IllegalArgumentException("the route's pattern has no variable {" + name + "}");
    }
    return value;
  }

  @Override
  public TenantId tenantId(String name) {
    return TenantId.of(pathVariable(name));
  }

  @Override
  public Optional<String> parameter(String name) {
    return Optional.ofNullable(request.getParameter(name));
  }

  @Override
  public <T> T body(Class<T> type) throws IOException {
    byte[] raw = RequestBody.read(request, JSON);
    if (raw.length == 0) {
      throw new InvalidInputException("body", "is required");
    }
    return TypedJson.read(raw, type);
  }

  @Override
  public HttpServletRequest servletRequest() {
    return request;
  }
}
