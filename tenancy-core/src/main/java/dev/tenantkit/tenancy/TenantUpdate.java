package dev.tenantkit.tenancy;

/**
 * A change of a tenant's name, plan and settings, applied together by {@link
 * TenantService#update(TenantId, TenantUpdate)}; a {@code null} component is left as it is.
 *
 * @param name the new display name, or {@code null}
 * @param planId the new plan id, or {@code null}
 * @param settings the new settings, or {@code null}
 */
public record TenantUpdate(String name, String planId, TenantSettings settings) {

  /** Whether the update changes nothing. */
  public boolean isEmpty() {
    return name == null && planId == null && settings == null;
  }
}
