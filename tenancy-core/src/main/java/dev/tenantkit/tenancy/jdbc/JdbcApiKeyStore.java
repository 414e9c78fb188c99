package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.ApiKey;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantNotFoundException;
import dev.tenantkit.tenancy.spi.ApiKeyStore;
import dev.tenantkit.tenancy.spi.StoredApiKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link ApiKeyStore} over {@code tenantkit_api_keys}. Every operation runs in a transaction scoped
 * to the tenant it names, so on PostgreSQL row-level security backs up the {@code tenant_id} filter
 * each statement has anyway.
 */
final class JdbcApiKeyStore implements ApiKeyStore {
  private static final String COLUMNS =
      "tenant_id, key_id, name, secret_hash, scopes, created_at, expires_at, revoked_at,"
          + " last_used_at";

  private final JdbcStorage storage;

  JdbcApiKeyStore(JdbcStorage storage) {
    this.storage = storage;
  }

  @Override
  public void insert(StoredApiKey stored) {
    Objects.requireNonNull(stored, "stored");
    ApiKey k = stored.key();
    try {
      storage.useTenantTransaction(
          k.tenantId(),
          h ->
              h.createUpdate(
                      "insert into tenantkit_api_keys ("
                          + COLUMNS
                          + ") values (:tenantId,"
                          + " :keyId, :name, :secretHash, :scopes, :createdAt, :expiresAt,"
                          + " :revokedAt, :lastUsedAt)")
                  .bind("tenantId", k.tenantId().value())
                  .bind("keyId", k.id())
                  .bind("name", k.name())
                  .bind("secretHash", stored.secretHash())
                  .bind("scopes", String.join(" ", new TreeSet<>(k.scopes())))
                  .bindByType("createdAt", k.createdAt(), Instant.class)
                  .bindByType("expiresAt", k.expiresAt(), Instant.class)
                  .bindByType("revokedAt", k.revokedAt(), Instant.class)
                  .bindByType("lastUsedAt", k.lastUsedAt(), Instant.class)
                  .execute());
    } catch (JdbiException e) {
      if (JdbcStorage.isUniqueViolation(e)) {
        throw new ConflictException("API key id '" + k.id() + "' is taken");
      }
      if (JdbcStorage.isForeignKeyViolation(e)) {
        throw new TenantNotFoundException(k.tenantId());
      }
      throw e;
    }
  }

  @Override
  public Optional<StoredApiKey> find(TenantId tenantId, String keyId) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(keyId, "keyId");
    return storage.inTenantTransaction(
        tenantId,
        h ->
            h.createQuery(
                    "select "
                        + COLUMNS
                        + " from tenantkit_api_keys"
                        + " where tenant_id = :tenantId and key_id = :keyId")
                .bind("tenantId", tenantId.value())
                .bind("keyId", keyId)
                .map((rs, ctx) -> new StoredApiKey(key(rs), rs.getString("secret_hash")))
                .findOne());
  }

  @Override
  public List<ApiKey> list(TenantId tenantId) {
    Objects.requireNonNull(tenantId, "tenantId");
    return storage.inTenantTransaction(
        tenantId,
        h ->
            h.createQuery(
                    "select "
                        + COLUMNS
                        + " from tenantkit_api_keys where tenant_id = :tenantId"
                        + " order by created_at desc, key_id")
                .bind("tenantId", tenantId.value())
                .map((rs, ctx) -> key(rs))
                .list());
  }

  @Override
  public boolean revoke(TenantId tenantId, String keyId, Instant at) {
    Objects.requireNonNull(at, "at");
    // coalesce keeps the first revocation time and still counts the row, in one statement.
    return updateKey(
            tenantId,
            keyId,
            at,
            "update tenantkit_api_keys set revoked_at = coalesce(revoked_at, :at)")
        == 1;
  }

  @Override
  public void touch(TenantId tenantId, String keyId, Instant at) {
    Objects.requireNonNull(at, "at");
    updateKey(tenantId, keyId, at, "update tenantkit_api_keys set last_used_at = :at");
  }

  @Override
  public int deleteAll(TenantId tenantId) {
    Objects.requireNonNull(tenantId, "tenantId");
    return storage.inTenantTransaction(
        tenantId,
        h ->
            h.createUpdate("delete from tenantkit_api_keys where tenant_id = :tenantId")
                .bind("tenantId", tenantId.value())
                .execute());
  }

  private int updateKey(TenantId tenantId, String keyId, Instant at, String update) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(keyId, "keyId");
    return storage.inTenantTransaction(
        tenantId,
        h ->
            h.createUpdate(update + " where tenant_id = :tenantId and key_id = :keyId")
                .bind("tenantId", tenantId.value())
                .bind("keyId", keyId)
                .bindByType("at", at, Instant.class)
                .execute());
  }

  private static ApiKey key(ResultSet rs) throws SQLException {
    String scopes = rs.getString("scopes");
    Set<String> scopeSet =
        scopes.isEmpty()
            ? Set.of()
            : Arrays.stream(scopes.split(" ")).collect(Collectors.toUnmodifiableSet());
    return new ApiKey(
        rs.getString("key_id"),
        new TenantId(rs.getString("tenant_id")),
        rs.getString("name"),
        scopeSet,
        JdbcTenantStore.instant(rs, "created_at"),
        JdbcTenantStore.instant(rs, "expires_at"),
        JdbcTenantStore.instant(rs, "revoked_at"),
        JdbcTenantStore.instant(rs, "last_used_at"));
  }
}
