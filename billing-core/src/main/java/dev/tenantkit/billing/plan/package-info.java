/**
 * Prices in the plan catalog: a {@link dev.tenantkit.billing.plan.PriceCatalog} is the quota {@link
 * dev.tenantkit.metering.quota.PlanCatalog} (limits) plus each plan's {@link
 * dev.tenantkit.billing.plan.PlanPrices} (currency, interval, charges), read from the same file.
 * Prices are versioned: a {@link dev.tenantkit.billing.plan.PlanVersion} is published to a {@link
 * dev.tenantkit.billing.plan.spi.PlanVersionStore}, and a price change makes a new version while
 * invoices and subscriptions keep theirs. Rules and sources: {@code docs/billing.md}, "Plans,
 * prices and versions".
 */
package dev.tenantkit.billing.plan;
