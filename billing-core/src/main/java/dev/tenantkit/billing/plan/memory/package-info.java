/** The in-memory backend of plan versions. */
package dev.tenantkit.billing.plan.memory;
