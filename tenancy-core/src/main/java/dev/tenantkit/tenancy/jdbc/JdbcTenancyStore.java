package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.spi.ApiKeyStore;
import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.spi.TenantStore;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;

/**
 * Tenants and API keys in H2 (PostgreSQL mode) or PostgreSQL: the durable {@link TenancyStore}.
 *
 * <pre>{@code
 * TenancyStore store = JdbcTenancyStore.builder(dataSource).build();
 * Tenancy tenancy = Tenancy.builder().store(store).build();
 * }</pre>
 *
 * <p>Tables: {@code tenantkit_tenants}, the tenant directory (not tenant-scoped), and {@code
 * tenantkit_api_keys}, tenant-scoped with {@code tenant_id} leading its primary key. Every API key
 * operation runs in {@link JdbcStorage#inTenantTransaction} with the tenant it names, so on
 * PostgreSQL row-level security applies to it. Tenant updates are a single compare-and-set
 * statement on the version, so several app instances can share one database.
 *
 * <p>Thread-safe. Database failures surface as Jdbi's unchecked {@link
 * org.jdbi.v3.core.JdbiException}; uniqueness violations as {@link
 * dev.tenantkit.tenancy.ConflictException}.
 */
public final class JdbcTenancyStore implements TenancyStore {
  /**
   * The module name of the tenancy migrations; its history table is {@code
   * tenantkit_tenancy_schema_history}.
   */
  public static final String MODULE = "tenancy";

  /** Migrations on both databases. */
  public static final String COMMON_LOCATION = "classpath:dev/tenantkit/tenancy/db/common";

  /** Migrations of one database only ({@code {vendor}} is {@code h2} or {@code postgresql}). */
  public static final String VENDOR_LOCATION = "classpath:dev/tenantkit/tenancy/db/{vendor}";

  private final JdbcStorage storage;
  private final TenantStore tenants;
  private final ApiKeyStore apiKeys;

  private JdbcTenancyStore(JdbcStorage storage) {
    this.storage = storage;
    this.tenants = new JdbcTenantStore(storage);
    this.apiKeys = new JdbcApiKeyStore(storage);
  }

  /**
   * A builder over {@code dataSource}.
   *
   * @param dataSource an H2 (PostgreSQL mode) or PostgreSQL data source, usually a pool
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  @Override
  public TenantStore tenants() {
    return tenants;
  }

  @Override
  public ApiKeyStore apiKeys() {
    return apiKeys;
  }

  /**
   * Applies tenancy-core's pending migrations. Other modules' stores call this before their own,
   * since their PostgreSQL migrations use {@code tenantkit_enable_rls}, which tenancy-core creates.
   *
   * @return how many migrations were applied
   */
  public static int migrate(JdbcStorage storage) {
    return storage.migrate(MODULE, COMMON_LOCATION, VENDOR_LOCATION);
  }

  /** The storage this store runs on. */
  public JdbcStorage storage() {
    return storage;
  }

  /**
   * Builder of {@link JdbcTenancyStore}: the options of {@link JdbcStoreBuilder} (the migrate
   * switch applies module {@value JdbcTenancyStore#MODULE}). Not thread-safe.
   */
  public static final class Builder extends JdbcStoreBuilder<Builder> {
    private Builder(DataSource dataSource) {
      super(dataSource, MODULE, COMMON_LOCATION, VENDOR_LOCATION);
    }

    /**
     * Detects the database, migrates if asked to, and builds the store.
     *
     * @throws IllegalArgumentException if the database is neither H2 nor PostgreSQL
     * @throws IllegalStateException if no connection can be opened
     * @throws FlywayException if a migration fails
     */
    public JdbcTenancyStore build() {
      return new JdbcTenancyStore(storage());
    }
  }
}
