/**
 * Usage analytics for one tenant, built on {@link dev.tenantkit.metering.UsageQueries} and {@link
 * dev.tenantkit.metering.quota.QuotaEnforcer}: usage over a period, breakdowns, error statistics,
 * an error analysis with plain recommendations, key figures and where the tenant stands on its
 * plan. Framework-neutral; every result is an immutable record. Start at {@link
 * dev.tenantkit.metering.analytics.UsageAnalytics}.
 */
package dev.tenantkit.metering.analytics;
