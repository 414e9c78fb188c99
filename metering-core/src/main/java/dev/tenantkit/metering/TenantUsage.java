package dev.tenantkit.metering;

import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;

/**
 * A tenant's aggregate of one meter, for cross-tenant operator views.
 *
 * @param tenantId the tenant
 * @param value its aggregate
 */
public record TenantUsage(TenantId tenantId, BigDecimal value) {}
