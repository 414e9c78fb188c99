package dev.tenantkit.tenancy;

/**
 * A write would break a uniqueness rule or lost a race with a concurrent write; nothing was
 * changed. Retrying after re-reading is safe.
 */
public final class ConflictException extends TenantkitException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which rule was broken
   */
  public ConflictException(String message) {
    super("conflict", message);
  }
}
