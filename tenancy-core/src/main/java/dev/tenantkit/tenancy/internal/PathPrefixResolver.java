package dev.tenantkit.tenancy.internal;

import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.InvalidTenantIdException;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.spi.RequestView;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.spi.TenantResolver;
import java.util.Set;

/** Locates the tenant from the path segment after a prefix such as {@code /t/}. */
public final class PathPrefixResolver implements TenantResolver {
  private final String prefix;

  /**
   * @param prefix starts and ends with {@code /}, for example {@code /t/}
   */
  public PathPrefixResolver(String prefix) {
    if (prefix == null || !prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 2) {
      throw new IllegalArgumentException("prefix must start and end with '/', like /t/");
    }
    this.prefix = prefix;
  }

  @Override
  public TenantResolution resolve(RequestView request) {
    String path = request.path();
    if (path == null || !path.startsWith(prefix)) {
      return TenantResolution.notApplicable();
    }
    String rest = path.substring(prefix.length());
    int slash = rest.indexOf('/');
    return located(slash < 0 ? rest : rest.substring(0, slash));
  }

  static TenantResolution located(String raw) {
    try {
      return TenantResolution.resolved(
          new TenantBinding(TenantId.of(raw), Set.of(), TenantBinding.Credential.NONE, null));
    } catch (InvalidTenantIdException e) {
      return TenantResolution.failed(DenialReason.MALFORMED_TENANT_ID, e.getMessage());
    }
  }
}
