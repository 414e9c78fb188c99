package dev.tenantkit.billing.report;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.TenantId;
import java.util.List;
import java.util.Objects;

/**
 * What a tenant has paid over its life: the amount due of its paid invoices less what refund credit
 * notes paid back, per currency. Immutable.
 *
 * @param tenant the tenant
 * @param byCurrency one amount per currency the tenant paid in, by code
 */
public record LifetimeValue(TenantId tenant, List<Money> byCurrency) {
  /** Checks the components and copies the list. */
  public LifetimeValue {
    Objects.requireNonNull(tenant, "tenant");
    byCurrency = List.copyOf(byCurrency);
  }
}
