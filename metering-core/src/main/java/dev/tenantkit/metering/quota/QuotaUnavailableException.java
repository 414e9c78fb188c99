package dev.tenantkit.metering.quota;

import dev.tenantkit.tenancy.TenantkitException;

/**
 * The quota store could not be reached for an operation that has no failure mode: {@link
 * QuotaEnforcer#release} and every call of {@link QuotaAdmin} (status, overrides, purge).
 * (Decisions never throw it; they follow the {@link FailureMode}.) Nothing was changed.
 */
public final class QuotaUnavailableException extends TenantkitException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what could not be done
   * @param cause the store's failure
   */
  public QuotaUnavailableException(String message, Throwable cause) {
    super("quota-store-unavailable", message, cause);
  }
}
