package dev.tenantkit.tenancy;

/** A tenant-scoped resource (an API key, a file, ...) does not exist for the tenant asking. */
public class NotFoundException extends TenantkitException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was not found
   */
  public NotFoundException(String message) {
    super("not-found", message);
  }
}
