/** The storage SPI of plan versions: implement {@link PlanVersionStore} for another backend. */
package dev.tenantkit.billing.plan.spi;
