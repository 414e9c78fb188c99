/**
 * Billing's storage SPI: {@link dev.tenantkit.billing.spi.BillingStore}, minimal primitives
 * (insert, find, compare-and-set, list, delete) under the rules of the billing core, with a memory
 * backend ({@code billing.memory}) and a JDBC backend ({@code billing.jdbc}).
 */
package dev.tenantkit.billing.spi;
