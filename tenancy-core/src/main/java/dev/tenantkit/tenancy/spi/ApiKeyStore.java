package dev.tenantkit.tenancy.spi;

import dev.tenantkit.tenancy.ApiKey;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage of API keys. Every operation names its tenant, so a store never reads across tenants.
 * Must be thread-safe. Passes the contract suite {@code TenancyStoreContract}.
 */
public interface ApiKeyStore {

  /**
   * @throws ConflictException if the tenant already has a key with this id
   */
  void insert(StoredApiKey key);

  /** The tenant's key with this id. */
  Optional<StoredApiKey> find(TenantId tenantId, String keyId);

  /** The tenant's keys, newest first. */
  List<ApiKey> list(TenantId tenantId);

  /** Sets the revocation time unless already revoked; returns whether the key exists. */
  boolean revoke(TenantId tenantId, String keyId, Instant at);

  /** Records a use of the key at {@code at}. */
  void touch(TenantId tenantId, String keyId, Instant at);

  /** Removes all of the tenant's keys; returns how many. */
  int deleteAll(TenantId tenantId);
}
