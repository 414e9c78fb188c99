package dev.tenantkit.tenancy.internal;

import dev.tenantkit.tenancy.spi.RequestView;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.spi.TenantResolver;
import java.util.Locale;

/** Locates the tenant from the first host label under a base domain. */
public final class SubdomainResolver implements TenantResolver {
  private final String suffix;

  /**
   * @param baseDomain such as {@code app.example.com}
   */
  public SubdomainResolver(String baseDomain) {
    if (baseDomain == null || baseDomain.isBlank() || baseDomain.startsWith(".")) {
      throw new IllegalArgumentException("baseDomain must be a domain such as app.example.com");
    }
    this.suffix = "." + baseDomain.strip().toLowerCase(Locale.ROOT);
  }

  @Override
  public TenantResolution resolve(RequestView request) {
    String host = request.host() == null ? "" : request.host().toLowerCase(Locale.ROOT);
    if (!host.endsWith(suffix) || host.length() == suffix.length()) {
      return TenantResolution.notApplicable();
    }
    String label = host.substring(0, host.length() - suffix.length());
    if (label.contains(".")) {
      // Deeper names (a.b.app.example.com) are not tenants of this base domain.
      return TenantResolution.notApplicable();
    }
    return PathPrefixResolver.located(label);
  }
}
