package dev.tenantkit.examples.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.adapters.servlet.TenantView;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /api/tenant}: the calling tenant's own record, as {@link TenantView} JSON. */
final class CurrentTenantServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Tenancy tenancy;

  CurrentTenantServlet(Tenancy tenancy) {
    this.tenancy = tenancy;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    // The filter has bound the tenant of the API key; nothing in the request chooses it.
    TenantView view = TenantView.from(tenancy.tenants().get(TenantContext.requireTenant()));
    byte[] body = JSON.writeValueAsBytes(view);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
