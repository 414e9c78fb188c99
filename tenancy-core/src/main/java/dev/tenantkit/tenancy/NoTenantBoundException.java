package dev.tenantkit.tenancy;

/** Code that needs a current tenant ran outside {@link TenantContext#run} or {@code call}. */
public final class NoTenantBoundException extends TenantkitException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a fixed message. */
  public NoTenantBoundException() {
    super("no-tenant-bound", "no tenant is bound to the current thread");
  }
}
