package dev.tenantkit.tenancy.internal;

import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.spi.RequestView;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.spi.TenantResolver;
import java.util.List;

/** Runs resolvers in order; see {@link TenantResolvers#chain}. */
public final class ChainResolver implements TenantResolver {
  private final List<TenantResolver> resolvers;

  /**
   * @param resolvers in the order to consult them, at least one
   */
  public ChainResolver(List<TenantResolver> resolvers) {
    if (resolvers.isEmpty()) {
      throw new IllegalArgumentException("a chain needs at least one resolver");
    }
    this.resolvers = List.copyOf(resolvers);
  }

  @Override
  public TenantResolution resolve(RequestView request) {
    TenantResolution.Resolved chosen = null;
    for (TenantResolver resolver : resolvers) {
      TenantResolution r = resolver.resolve(request);
      if (r instanceof TenantResolution.Failed) {
        return r;
      }
      if (r instanceof TenantResolution.Resolved found) {
        if (chosen != null && !chosen.binding().tenantId().equals(found.binding().tenantId())) {
          return TenantResolution.failed(
              DenialReason.TENANT_MISMATCH,
              "the request names tenant '"
                  + found.binding().tenantId()
                  + "' but its credential belongs to another tenant");
        }
        // An authenticated result carries the credential's scopes; keep it over a mere location.
        if (chosen == null || (!chosen.authenticated() && found.authenticated())) {
          chosen = found;
        }
      }
    }
    if (chosen != null) {
      return chosen;
    }
    if (Bearer.token(request).isPresent()
        || request.header(TenantResolvers.API_KEY_HEADER).isPresent()) {
      return TenantResolution.failed(
          DenialReason.INVALID_CREDENTIAL, "the credential is not one this service accepts");
    }
    if (request.header("Authorization").isPresent()) {
      return TenantResolution.failed(
          DenialReason.INVALID_CREDENTIAL, "the Authorization header must use the Bearer scheme");
    }
    return TenantResolution.notApplicable();
  }
}
