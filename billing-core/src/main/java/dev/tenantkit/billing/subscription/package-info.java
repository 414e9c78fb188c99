/**
 * Subscriptions (pure model and rules, no store): a tenant's {@link
 * dev.tenantkit.billing.subscription.Subscription} to a plan version, its {@link
 * dev.tenantkit.billing.subscription.BillingPeriods} in the tenant's zone, and plan changes with
 * their {@link dev.tenantkit.billing.subscription.Proration} by days. Rules and sources: {@code
 * docs/billing.md}, "Subscriptions, billing periods and proration".
 */
package dev.tenantkit.billing.subscription;
