package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantStatus;
import dev.tenantkit.tenancy.spi.TenantStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

/** {@link TenantStore} over {@code tenantkit_tenants}; the directory is not tenant-scoped. */
final class JdbcTenantStore implements TenantStore {
  private static final String COLUMNS =
      "tenant_id, name, plan_id, status, settings, created_at, updated_at, deleted_at, version";

  private final JdbcStorage storage;

  JdbcTenantStore(JdbcStorage storage) {
    this.storage = storage;
  }

  @Override
  public void insert(Tenant tenant) {
    Objects.requireNonNull(tenant, "tenant");
    try {
      storage.useTransaction(
          h ->
              bindTenant(
                      h.createUpdate(
                          "insert into tenantkit_tenants (tenant_id, name, name_key, plan_id,"
                              + " status, settings, created_at, updated_at, deleted_at, version)"
                              + " values (:id, :name, :nameKey, :planId, :status, :settings,"
                              + " :createdAt, :updatedAt, :deletedAt, :version)"),
                      tenant)
                  .execute());
    } catch (JdbiException e) {
      if (JdbcStorage.isUniqueViolation(e)) {
        // Tell which rule broke by looking, not by parsing a driver-specific message.
        throw find(tenant.id()).isPresent()
            ? new ConflictException("tenant '" + tenant.id() + "' already exists")
            : nameTaken(tenant);
      }
      throw e;
    }
  }

  @Override
  public Optional<Tenant> find(TenantId id) {
    Objects.requireNonNull(id, "id");
    return storage.inTransaction(
        h ->
            h.createQuery("select " + COLUMNS + " from tenantkit_tenants where tenant_id = :id")
                .bind("id", id.value())
                .map((rs, ctx) -> tenant(rs))
                .findOne());
  }

  @Override
  public boolean update(Tenant tenant, long expectedVersion) {
    Objects.requireNonNull(tenant, "tenant");
    try {
      return storage.inTransaction(
          h ->
              bindTenant(
                          h.createUpdate(
                              "update tenantkit_tenants set name = :name, name_key = :nameKey,"
                                  + " plan_id = :planId, status = :status, settings = :settings,"
                                  + " created_at = :createdAt, updated_at = :updatedAt,"
                                  + " deleted_at = :deletedAt, version = :version"
                                  + " where tenant_id = :id and version = :expected"),
                          tenant)
                      .bind("expected", expectedVersion)
                      .execute()
                  == 1);
    } catch (JdbiException e) {
      if (JdbcStorage.isUniqueViolation(e)) {
        // The id is not changed by an update, so only the name can collide.
        throw nameTaken(tenant);
      }
      throw e;
    }
  }

  @Override
  public List<Tenant> list(TenantStatus status, TenantId after, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    StringBuilder sql =
        new StringBuilder("select ")
            .append(COLUMNS)
            .append(" from tenantkit_tenants where ")
            .append(status == null ? "status <> :status" : "status = :status");
    if (after != null) {
      sql.append(" and tenant_id > :after");
    }
    sql.append(" order by tenant_id limit :limit");
    return storage.inTransaction(
        h -> {
          Query q =
              h.createQuery(sql.toString())
                  .bind("status", (status == null ? TenantStatus.DELETED : status).name())
                  .bind("limit", limit);
          if (after != null) {
            q.bind("after", after.value());
          }
          return q.map((rs, ctx) -> tenant(rs)).list();
        });
  }

  @Override
  public boolean delete(TenantId id) {
    Objects.requireNonNull(id, "id");
    try {
      return storage.inTransaction(
          h ->
              h.createUpdate("delete from tenantkit_tenants where tenant_id = :id")
                      .bind("id", id.value())
                      .execute()
                  == 1);
    } catch (JdbiException e) {
      if (JdbcStorage.isForeignKeyViolation(e)) {
        throw new ConflictException("tenant '" + id + "' still has API keys; delete them first");
      }
      throw e;
    }
  }

  private static <S extends SqlStatement<S>> S bindTenant(S statement, Tenant t) {
    return statement
        .bind("id", t.id().value())
        .bind("name", t.name())
        .bind("nameKey", nameKey(t.name()))
        .bind("planId", t.planId())
        .bind("status", t.status().name())
        .bind("settings", SettingsJson.write(t.settings()))
        .bindByType("createdAt", t.createdAt(), Instant.class)
        .bindByType("updatedAt", t.updatedAt(), Instant.class)
        .bindByType("deletedAt", t.deletedAt(), Instant.class)
        .bind("version", t.version());
  }

  private static ConflictException nameTaken(Tenant t) {
    return new ConflictException("a tenant named '" + t.name() + "' already exists");
  }

  static String nameKey(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  private static Tenant tenant(ResultSet rs) throws SQLException {
    return new Tenant(
        new TenantId(rs.getString("tenant_id")),
        rs.getString("name"),
        rs.getString("plan_id"),
        TenantStatus.valueOf(rs.getString("status")),
        SettingsJson.read(rs.getString("settings")),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "deleted_at"),
        rs.getLong("version"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
