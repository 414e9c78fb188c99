/**
 * Operator revenue reports across tenants: MRR and ARR, revenue by plan and by month with the
 * change against the month before, open and overdue amounts, and per-tenant lifetime value. Entry:
 * {@link dev.tenantkit.billing.report.RevenueReports}. Computed by streaming the store's listings
 * page by page; every amount is per currency. Rules and sources: docs/billing.md, "Reports".
 */
package dev.tenantkit.billing.report;
