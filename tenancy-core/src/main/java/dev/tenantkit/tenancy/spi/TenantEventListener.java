package dev.tenantkit.tenancy.spi;

import dev.tenantkit.tenancy.TenantEvent;

/**
 * Hears of tenant lifecycle changes after they are stored. Called on the thread that made the
 * change. A listener that throws is logged and does not undo the change or stop other listeners:
 * the change is already durable, so failing the caller would only hide that it happened.
 */
@FunctionalInterface
public interface TenantEventListener {

  /** Called once per stored change. */
  void onEvent(TenantEvent event);
}
