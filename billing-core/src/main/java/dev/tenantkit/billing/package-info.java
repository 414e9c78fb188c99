/**
 * Billing: exact {@link dev.tenantkit.billing.Money}, price models, plans' prices, subscriptions,
 * invoices and billing runs. Every amount is a {@link java.math.BigDecimal}; nothing in this module
 * uses {@code double} or {@code float}. The rules, each with the reference system it follows, are
 * stated in {@code docs/billing.md}.
 */
package dev.tenantkit.billing;
