package dev.tenantkit.tenancy.internal;

import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.InvalidTenantIdException;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.spi.RequestView;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.spi.TenantResolver;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Trusts {@code X-Tenant-ID} from configured gateway addresses only, checked against {@link
 * RequestView#remoteAddress()}, the TCP peer. The id is taken as given (no trimming, no case
 * folding). Immutable and thread-safe.
 */
public final class GatewayHeaderResolver implements TenantResolver {
  private final List<AddressRange> trusted;
  private final Set<String> scopes;

  /**
   * @param trustedProxies addresses or CIDR blocks of the gateway
   * @param scopes the scopes a gateway-asserted tenant gets
   * @throws IllegalArgumentException naming the value if the list is empty or an entry is not an
   *     IPv4 dotted quad or IPv6 literal, with an optional prefix length
   */
  public GatewayHeaderResolver(Collection<String> trustedProxies, Set<String> scopes) {
    if (trustedProxies == null || trustedProxies.isEmpty()) {
      throw new IllegalArgumentException("a trusted gateway needs at least one address");
    }
    this.trusted = trustedProxies.stream().map(AddressRange::parse).toList();
    this.scopes = Set.copyOf(scopes);
  }

  @Override
  public TenantResolution resolve(RequestView request) {
    Optional<String> header = request.header(TenantResolvers.TENANT_HEADER);
    if (header.isEmpty()) {
      return TenantResolution.notApplicable();
    }
    String peer = request.remoteAddress();
    if (trusted.stream().noneMatch(r -> r.contains(peer))) {
      // A header from anyone else is ignored, exactly as if no gateway were configured.
      return TenantResolution.notApplicable();
    }
    if (request.headerCount(TenantResolvers.TENANT_HEADER) > 1) {
      // A gateway that appends its header to the client's would otherwise hand over the client's.
      return TenantResolution.failed(
          DenialReason.MALFORMED_TENANT_ID,
          "the request has more than one " + TenantResolvers.TENANT_HEADER + " header");
    }
    try {
      return TenantResolution.resolved(
          new TenantBinding(
              TenantId.of(header.get()), scopes, TenantBinding.Credential.GATEWAY, null));
    } catch (InvalidTenantIdException e) {
      return TenantResolution.failed(DenialReason.MALFORMED_TENANT_ID, e.getMessage());
    }
  }
}
