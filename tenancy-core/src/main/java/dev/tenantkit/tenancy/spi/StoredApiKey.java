package dev.tenantkit.tenancy.spi;

import dev.tenantkit.tenancy.ApiKey;
import java.util.Objects;

/**
 * An API key as a store holds it: the key and the hex SHA-256 hash of its secret.
 *
 * @param key the key
 * @param secretHash lower-case hex SHA-256 of the secret part of the key string
 */
public record StoredApiKey(ApiKey key, String secretHash) {
  /** Checks the components are present. */
  public StoredApiKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(secretHash, "secretHash");
  }
}
