package dev.tenantkit.tenancy;

import dev.tenantkit.tenancy.spi.RequestView;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.spi.TenantResolver;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether a request may act for a tenant: resolves it, requires a credential unless told
 * otherwise, and checks that the tenant exists and is active. Framework-neutral; the servlet filter
 * is a thin wrapper around it. Thread-safe.
 */
public final class TenantAccess {
  private static final List<String> CREDENTIAL_HEADERS =
      List.of("Authorization", TenantResolvers.API_KEY_HEADER);

  private final TenantResolver resolver;
  private final TenantService tenants;
  private final boolean requireCredential;

  private TenantAccess(TenantResolver resolver, TenantService tenants, boolean requireCredential) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.tenants = Objects.requireNonNull(tenants, "tenants");
    this.requireCredential = requireCredential;
  }

  /** Access that requires a credential (API key, JWT or trusted gateway). */
  public static TenantAccess of(TenantResolver resolver, TenantService tenants) {
    return new TenantAccess(resolver, tenants, true);
  }

  /**
   * Access that also accepts a tenant only located by subdomain or path, for public pages such as a
   * tenant's branded login page.
   */
  public static TenantAccess allowingUnauthenticated(
      TenantResolver resolver, TenantService tenants) {
    return new TenantAccess(resolver, tenants, false);
  }

  /** Decides for {@code request}; never throws for bad input. */
  public Decision check(RequestView request) {
    for (String name : CREDENTIAL_HEADERS) {
      // Which of two credentials the client meant is not for the server to guess, and a proxy
      // that appends rather than replaces would leave the client's first.
      if (request.headerCount(name) > 1) {
        return new Decision.Denied(
            DenialReason.INVALID_CREDENTIAL, "the request has more than one " + name + " header");
      }
    }
    TenantResolution resolution = resolver.resolve(request);
    if (resolution instanceof TenantResolution.Failed f) {
      return new Decision.Denied(f.reason(), f.detail());
    }
    if (!(resolution instanceof TenantResolution.Resolved r)) {
      return new Decision.Denied(DenialReason.MISSING_CREDENTIAL, "no credential was presented");
    }
    if (requireCredential && !r.authenticated()) {
      return new Decision.Denied(
          DenialReason.MISSING_CREDENTIAL, "a credential is required for this tenant");
    }
    TenantBinding binding = r.binding();
    Tenant tenant = tenants.find(binding.tenantId()).orElse(null);
    if (tenant == null || tenant.status() == TenantStatus.DELETED) {
      return new Decision.Denied(
          DenialReason.TENANT_NOT_FOUND, "tenant '" + binding.tenantId() + "' does not exist");
    }
    if (tenant.status() == TenantStatus.SUSPENDED) {
      return new Decision.Denied(
          DenialReason.TENANT_SUSPENDED, "tenant '" + binding.tenantId() + "' is suspended");
    }
    return new Decision.Granted(binding, tenant);
  }

  /** The outcome of {@link #check(RequestView)}. */
  public sealed interface Decision {
    /**
     * The request may act for the tenant.
     *
     * @param binding what to bind with {@link TenantContext}
     * @param tenant the active tenant
     */
    record Granted(TenantBinding binding, Tenant tenant) implements Decision {}

    /**
     * The request may not.
     *
     * @param reason why, with the status to answer
     * @param detail a message fit for the caller
     */
    record Denied(DenialReason reason, String detail) implements Decision {}
  }
}
