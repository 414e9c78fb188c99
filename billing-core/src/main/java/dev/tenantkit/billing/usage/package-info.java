/**
 * The bridge from metering to pricing: {@link dev.tenantkit.billing.usage.ChargeUsageReader} reads
 * the {@link dev.tenantkit.billing.price.Usage} a {@link dev.tenantkit.billing.price.Charge} prices
 * for a billing period from {@link dev.tenantkit.metering.UsageQueries}.
 */
package dev.tenantkit.billing.usage;
