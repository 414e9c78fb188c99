package dev.tenantkit.tenancy;

/**
 * Why a request was not given a tenant. Each reason has a stable {@link #code()} that adapters use
 * as the problem type and an HTTP status they answer with; both are public contract.
 */
public enum DenialReason {
  /** No credential was presented. */
  MISSING_CREDENTIAL("missing-credential", 401),
  /** A credential was presented but is not valid (unknown key, bad signature, malformed). */
  INVALID_CREDENTIAL("invalid-credential", 401),
  /** The credential has expired. */
  EXPIRED_CREDENTIAL("expired-credential", 401),
  /** The API key was revoked. */
  REVOKED_CREDENTIAL("revoked-credential", 401),
  /** A tenant id taken from the request is not a valid id. */
  MALFORMED_TENANT_ID("malformed-tenant-id", 400),
  /** Two sources in the request name different tenants (e.g. one tenant's key on another's URL). */
  TENANT_MISMATCH("tenant-mismatch", 403),
  /** The tenant does not exist or is deleted. */
  TENANT_NOT_FOUND("tenant-not-found", 404),
  /** The tenant is suspended. */
  TENANT_SUSPENDED("tenant-suspended", 403),
  /** The credential lacks a scope the request needs. */
  MISSING_SCOPE("missing-scope", 403),
  /**
   * The credential cannot be checked now (the identity provider's keys cannot be fetched): not the
   * caller's fault, so a retry later may succeed.
   */
  CREDENTIAL_CHECK_UNAVAILABLE("credential-check-unavailable", 503);

  private final String code;
  private final int httpStatus;

  DenialReason(String code, int httpStatus) {
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /** The stable slug, used as the last segment of the problem type URI. */
  public String code() {
    return code;
  }

  /** The HTTP status an adapter answers with. */
  public int httpStatus() {
    return httpStatus;
  }
}
