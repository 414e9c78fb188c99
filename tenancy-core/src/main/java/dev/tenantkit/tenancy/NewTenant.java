package dev.tenantkit.tenancy;

/**
 * What {@link TenantService#create(NewTenant)} needs to create a tenant; validated there.
 *
 * @param id the id the tenant will keep for life
 * @param name the display name
 * @param planId the plan id, {@code [a-z0-9_-]{1,64}}
 * @param settings the initial settings, or {@code null} for {@link TenantSettings#defaults()}
 */
public record NewTenant(TenantId id, String name, String planId, TenantSettings settings) {

  /** A tenant with default settings. */
  public static NewTenant of(TenantId id, String name, String planId) {
    return new NewTenant(id, name, planId, null);
  }
}
