package dev.tenantkit.billing.spi;

import dev.tenantkit.tenancy.TenantId;
import java.util.Objects;

/**
 * Where an operator's listing of invoices across tenants resumes: after this tenant's invoice.
 * Immutable.
 *
 * @param tenant the tenant of the last invoice of the previous page
 * @param id that invoice's id
 */
public record InvoiceKey(TenantId tenant, String id) {
  /** Checks the components. */
  public InvoiceKey {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
  }
}
