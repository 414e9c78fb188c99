/** Billing's JDBC store: H2 (PostgreSQL mode) and PostgreSQL with row-level security. */
package dev.tenantkit.billing.jdbc;
