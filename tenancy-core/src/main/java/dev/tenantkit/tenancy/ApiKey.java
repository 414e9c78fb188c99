package dev.tenantkit.tenancy;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What is kept of an API key: everything but the secret, which is stored only as a hash. Immutable.
 *
 * @param id the key's public id, unique within the tenant; part of the key string
 * @param tenantId the tenant the key belongs to
 * @param name a label for people, may be empty
 * @param scopes what the key may do
 * @param createdAt when it was issued
 * @param expiresAt when it stops working, or {@code null} for never
 * @param revokedAt when it was revoked, or {@code null}
 * @param lastUsedAt when it last authenticated a request (kept to about a minute), or {@code null}
 */
public record ApiKey(
    String id,
    TenantId tenantId,
    String name,
    Set<String> scopes,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    Instant lastUsedAt) {

  /** Checks required components and copies the scopes. */
  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    scopes = Set.copyOf(scopes);
  }

  /** Whether the key is neither revoked nor expired at {@code now}. */
  public boolean isUsable(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }
}
