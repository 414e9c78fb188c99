package dev.tenantkit.tenancy;

import java.util.List;

/**
 * Issues, lists, revokes and verifies API keys. A key string has the form {@code
 * tk.<tenant-id>.<key-id>.<secret>}; only a SHA-256 hash of the secret is stored and it is compared
 * in constant time. The tenant id in the key lets every lookup stay inside one tenant's rows, which
 * keeps row-level security and sharding by tenant intact.
 *
 * <p>Implementations are thread-safe. Obtain one from {@link Tenancy#apiKeys()}.
 */
public interface ApiKeyService {

  /**
   * Issues a key; the returned secret is the only copy.
   *
   * @throws TenantNotFoundException if the tenant does not exist or is deleted
   * @throws InvalidInputException if the name, scopes or expiry are invalid (an expiry must be in
   *     the future and before the year 10000)
   */
  IssuedApiKey issue(TenantId tenantId, ApiKeyRequest request);

  /** The tenant's keys, newest first, including revoked and expired ones. */
  List<ApiKey> list(TenantId tenantId);

  /**
   * Revokes a key at once; idempotent.
   *
   * @throws NotFoundException if the tenant has no key with this id
   */
  ApiKey revoke(TenantId tenantId, String keyId);

  /**
   * Checks a presented key string and, when it is valid, records its use (at most once a minute per
   * key, so verification is not a write per request).
   */
  ApiKeyVerification verify(String presented);
}
