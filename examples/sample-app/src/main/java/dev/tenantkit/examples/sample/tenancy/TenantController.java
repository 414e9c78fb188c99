package dev.tenantkit.examples.sample.tenancy;

import dev.tenantkit.adapters.servlet.TenantView;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/tenant}: the tenant of the presented credential. The tenant filter has already
 * checked the credential and bound its tenant; nothing in the request can name another one.
 */
@RestController
class TenantController {
  private final Tenancy tenancy;

  TenantController(Tenancy tenancy) {
    this.tenancy = tenancy;
  }

  @GetMapping("/api/tenant")
  TenantView current() {
    return TenantView.from(tenancy.tenants().get(TenantContext.requireTenant()));
  }
}
