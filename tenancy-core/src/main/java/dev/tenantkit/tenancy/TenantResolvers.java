package dev.tenantkit.tenancy;

import dev.tenantkit.tenancy.internal.ApiKeyResolver;
import dev.tenantkit.tenancy.internal.ChainResolver;
import dev.tenantkit.tenancy.internal.GatewayHeaderResolver;
import dev.tenantkit.tenancy.internal.PathPrefixResolver;
import dev.tenantkit.tenancy.internal.SubdomainResolver;
import dev.tenantkit.tenancy.spi.TenantResolver;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The built-in {@link TenantResolver}s and their composition. The JWT resolver is in {@link
 * dev.tenantkit.tenancy.jwt.JwtTenantResolver} so that nimbus-jose-jwt stays optional.
 *
 * <p>A {@code tenant_id} query parameter is never a source: it is too easily set by a link.
 */
public final class TenantResolvers {
  /** The header a trusted gateway sets. */
  public static final String TENANT_HEADER = "X-Tenant-ID";

  /** The header that may carry an API key instead of {@code Authorization: Bearer}. */
  public static final String API_KEY_HEADER = "X-Api-Key";

  private TenantResolvers() {}

  /**
   * Composes resolvers in the given order. The first failure wins, so a bad credential is never
   * passed over; when several resolvers find a tenant they must agree (else {@link
   * DenialReason#TENANT_MISMATCH}); a credential found by any of them makes the result
   * authenticated. A request with an {@code Authorization} or {@code X-Api-Key} header that no
   * resolver understood fails with {@link DenialReason#INVALID_CREDENTIAL}.
   */
  public static TenantResolver chain(TenantResolver... resolvers) {
    return new ChainResolver(List.of(resolvers));
  }

  /**
   * Reads a Tenantkit API key from {@code Authorization: Bearer} or {@code X-Api-Key}. A request
   * with both headers fails with {@link DenialReason#INVALID_CREDENTIAL} unless both carry the same
   * key, so a second, perhaps bad, credential is never passed over.
   */
  public static TenantResolver apiKey(ApiKeyService apiKeys) {
    return new ApiKeyResolver(apiKeys);
  }

  /**
   * Locates the tenant from the first label of the host under {@code baseDomain}: {@code
   * acme.app.example.com} names {@code acme} when the base domain is {@code app.example.com}.
   * Locating is not authenticating.
   */
  public static TenantResolver subdomain(String baseDomain) {
    return new SubdomainResolver(baseDomain);
  }

  /**
   * Locates the tenant from the path segment after {@code prefix}: with prefix {@code /t/}, {@code
   * /t/acme/files} names {@code acme}. Locating is not authenticating.
   */
  public static TenantResolver pathPrefix(String prefix) {
    return new PathPrefixResolver(prefix);
  }

  /**
   * Trusts the {@value #TENANT_HEADER} header, but only from a peer whose address is in {@code
   * trustedProxies}. Off unless configured: behind no gateway, anyone could set the header.
   *
   * <p>The peer is {@link dev.tenantkit.tenancy.spi.RequestView#remoteAddress()}, which must be the
   * TCP peer, never an address from {@code X-Forwarded-For}; list only the gateway's own addresses,
   * as narrowly as possible (a whole private range such as {@code 10.0.0.0/8} also trusts every
   * other pod or host in it). Entries are literal IPv4 dotted quads ({@code 10.1.2.3}, {@code
   * 10.1.2.0/24}) or IPv6 literals ({@code fd00::1}, {@code fd00::/64}); host names, shortened or
   * octal/hex IPv4 forms ({@code 10/8}, {@code 010.0.0.1}) are refused, and nothing is looked up in
   * DNS.
   *
   * @param trustedProxies the gateway's addresses, at least one
   * @param grantedScopes the scopes a gateway-asserted tenant gets, for example {@code *}
   * @throws IllegalArgumentException naming the entry if the list is empty or an entry is not an
   *     address or CIDR block in the forms above
   */
  public static TenantResolver trustedGateway(
      Collection<String> trustedProxies, Set<String> grantedScopes) {
    return new GatewayHeaderResolver(trustedProxies, Scopes.validate(grantedScopes));
  }
}
