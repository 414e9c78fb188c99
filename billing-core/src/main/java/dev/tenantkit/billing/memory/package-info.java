/** Billing's in-memory store, for tests and single-process use. */
package dev.tenantkit.billing.memory;
