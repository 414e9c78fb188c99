package dev.tenantkit.tenancy;

/**
 * An operation is not allowed from the current state of what it acts on (reactivating a deleted
 * tenant, finalizing an invoice twice); nothing was changed. Each module has its own subclass with
 * its own code; adapters answer every one with 409.
 */
public abstract class StateException extends TenantkitException {
  private static final long serialVersionUID = 1L;

  /**
   * @param code the stable slug of the error, such as {@code invalid-tenant-state}
   * @param message which operation was refused and why
   */
  protected StateException(String code, String message) {
    super(code, message);
  }
}
