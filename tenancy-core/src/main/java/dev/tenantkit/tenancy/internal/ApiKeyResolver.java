package dev.tenantkit.tenancy.internal;

import dev.tenantkit.tenancy.ApiKey;
import dev.tenantkit.tenancy.ApiKeyService;
import dev.tenantkit.tenancy.ApiKeyVerification;
import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.spi.RequestView;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.spi.TenantResolver;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves the tenant from a Tenantkit API key in {@code X-Api-Key} or {@code Authorization:
 * Bearer}. A request with both headers is refused unless both carry the same key.
 */
public final class ApiKeyResolver implements TenantResolver {
  private final ApiKeyService apiKeys;

  /**
   * @param apiKeys verifies presented keys
   */
  public ApiKeyResolver(ApiKeyService apiKeys) {
    this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
  }

  @Override
  public TenantResolution resolve(RequestView request) {
    Optional<String> header = request.header(TenantResolvers.API_KEY_HEADER);
    String presented;
    if (header.isPresent()) {
      presented = header.get().strip();
      if (request.header("Authorization").isPresent()
          && !Bearer.token(request).map(presented::equals).orElse(false)) {
        // Reading one header and ignoring the other would pass over a credential that may be
        // bad; which of two credentials the client meant is not for the server to guess.
        return TenantResolution.failed(
            DenialReason.INVALID_CREDENTIAL,
            "the request has both an Authorization and an X-Api-Key header and they do not carry"
                + " the same API key; send the key in one of them");
      }
    } else {
      Optional<String> bearer = Bearer.token(request);
      if (bearer.isEmpty() || !DefaultApiKeyService.looksLikeKey(bearer.get())) {
        return TenantResolution.notApplicable();
      }
      presented = bearer.get();
    }
    ApiKeyVerification verification = apiKeys.verify(presented);
    if (verification instanceof ApiKeyVerification.Valid v) {
      ApiKey key = v.key();
      return TenantResolution.resolved(
          new TenantBinding(
              key.tenantId(), key.scopes(), TenantBinding.Credential.API_KEY, key.id()));
    }
    return switch (((ApiKeyVerification.Invalid) verification).reason()) {
      case REVOKED ->
          TenantResolution.failed(DenialReason.REVOKED_CREDENTIAL, "the API key has been revoked");
      case EXPIRED ->
          TenantResolution.failed(DenialReason.EXPIRED_CREDENTIAL, "the API key has expired");
      case MALFORMED ->
          TenantResolution.failed(DenialReason.INVALID_CREDENTIAL, "the API key is malformed");
      case UNKNOWN ->
          TenantResolution.failed(DenialReason.INVALID_CREDENTIAL, "the API key is not valid");
    };
  }
}
