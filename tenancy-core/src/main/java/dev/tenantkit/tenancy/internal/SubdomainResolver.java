package dev.tenantkit.tenancy.internal;

import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.spi.RequestView;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.spi.TenantResolver;

/**
 * Locates the tenant from the first host label under a base domain. Host names are case-insensitive
 * (RFC 4343), so this is the one resolver that folds case: ASCII letters only, with {@link
 * TenantId#asciiLowerCase(String)}, so a label with any non-ASCII character is refused as a
 * malformed tenant id rather than folded into an ASCII one.
 */
public final class SubdomainResolver implements TenantResolver {
  private final String suffix;

  /**
   * @param baseDomain such as {@code app.example.com}
   */
  public SubdomainResolver(String baseDomain) {
    if (baseDomain == null || baseDomain.isBlank() || baseDomain.startsWith(".")) {
      throw new IllegalArgumentException("baseDomain must be a domain such as app.example.com");
    }
    this.suffix = "." + TenantId.asciiLowerCase(baseDomain.strip());
  }

  @Override
  public TenantResolution resolve(RequestView request) {
    String host = request.host() == null ? "" : TenantId.asciiLowerCase(request.host());
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
