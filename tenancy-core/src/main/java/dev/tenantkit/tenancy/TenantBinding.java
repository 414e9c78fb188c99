package dev.tenantkit.tenancy;

import java.util.Objects;
import java.util.Set;

/**
 * The tenant bound to a scope of work by {@link TenantContext}, with what the caller may do there.
 * Immutable.
 *
 * @param tenantId the tenant
 * @param scopes the scopes the caller's credential grants; {@link Scopes#ALL} for full access
 * @param credential how the tenant was established
 * @param subject who acted: the API key id, the JWT subject, or {@code null}
 */
public record TenantBinding(
    TenantId tenantId, Set<String> scopes, Credential credential, String subject) {

  /** Checks required components and copies the scopes. */
  public TenantBinding {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(credential, "credential");
    scopes = Set.copyOf(scopes);
  }

  /** A full-access binding for code that acts for a tenant on its own behalf (jobs, tests). */
  public static TenantBinding system(TenantId tenantId) {
    return new TenantBinding(tenantId, Set.of(Scopes.ALL), Credential.SYSTEM, null);
  }

  /** Whether the credential grants {@code scope}. */
  public boolean hasScope(String scope) {
    return Scopes.grants(scopes, scope);
  }

  /** How a tenant was established for a scope of work. */
  public enum Credential {
    /** A Tenantkit API key. */
    API_KEY,
    /** A verified JWT. */
    JWT,
    /** A trusted gateway's {@code X-Tenant-ID} header. */
    GATEWAY,
    /** Only located (subdomain or path), not authenticated. */
    NONE,
    /** Bound by code, not by a request. */
    SYSTEM
  }
}
