package dev.tenantkit.tenancy;

import java.time.Instant;
import java.util.Set;

/**
 * What to issue: a label, scopes and an optional expiry. Validated by {@link
 * ApiKeyService#issue(TenantId, ApiKeyRequest)}.
 *
 * @param name a label for people, at most 200 characters, or {@code null}
 * @param scopes what the key may do; {@code null} or empty means full access ({@link Scopes#ALL})
 * @param expiresAt when the key stops working, in the future and before the year 10000, or {@code
 *     null} for never
 */
public record ApiKeyRequest(String name, Set<String> scopes, Instant expiresAt) {

  /** A full-access key that never expires. */
  public static ApiKeyRequest fullAccess(String name) {
    return new ApiKeyRequest(name, Set.of(Scopes.ALL), null);
  }
}
