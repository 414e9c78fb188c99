package dev.tenantkit.tenancy;

/** A tenant id did not match {@code [a-z0-9_-]{1,64}} after normalisation. */
public final class InvalidTenantIdException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was wrong with the id
   */
  public InvalidTenantIdException(String message) {
    super("malformed-tenant-id", "tenantId", message);
  }
}
