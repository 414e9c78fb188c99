package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/**
 * The storage base shared by every Tenantkit JDBC backend: one {@link DataSource}, its detected
 * {@link Dialect}, a {@link Jdbi} over it, Flyway migrations owned per module, and transactions
 * that carry the tenant to PostgreSQL's row-level security.
 *
 * <p>Three kinds of transaction, the one way each module runs its SQL:
 *
 * <ul>
 *   <li>{@link #inTenantTransaction}, for tenant-scoped work: on PostgreSQL its first statement is
 *       {@code select set_config('tenantkit.tenant_id', ?, true)}, so the policies created by
 *       {@code tenantkit_enable_rls} show and accept only that tenant's rows until the transaction
 *       ends. One transaction that writes several tenants' rows in turn (a batch) switches with
 *       {@link #bindTenant} before each tenant's statements.
 *   <li>{@link #inAllTenantsTransaction}, for an operator job that reads across tenants (the list
 *       of tenants a job walks, an operator's report): it sets {@value #ALL_TENANTS_SETTING}, which
 *       the SELECT-only policies created by {@code tenantkit_enable_operator_read} admit. Writes in
 *       it are still refused for every tenant's rows by the isolation policy.
 *   <li>{@link #inTransaction}, for work that is not tenant-scoped (the tenant directory, {@link
 *       JdbcJobLeases}).
 * </ul>
 *
 * <p>On H2 there is no row-level security; all three are plain transactions and isolation rests on
 * every statement naming its tenant, which the stores do anyway.
 *
 * <p>{@link Instant} values bind as {@code timestamp with time zone} through {@link OffsetDateTime}
 * and map back exactly (microsecond precision on both databases), independent of the JVM's time
 * zone.
 *
 * <p>Immutable and thread-safe; share one per data source.
 */
public final class JdbcStorage {
  /** The PostgreSQL setting the row-level security policies compare {@code tenant_id} with. */
  public static final String TENANT_SETTING = "tenantkit.tenant_id";

  /**
   * The PostgreSQL setting that the {@code tenantkit_operator_read} policies admit every row for,
   * when it is {@code on}; set only by {@link #inAllTenantsTransaction}.
   */
  public static final String ALL_TENANTS_SETTING = "tenantkit.all_tenants";

  private static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9_]{0,39}");
  private static final Pattern SETTING_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z0-9_]+)?");
  private static final String BIND_TENANT = "select set_config(?, ?, true)";
  private static final String BIND_TENANT_AND_ONE =
      "select set_config(?, ?, true), set_config(?, ?, true)";
  private static final Set<String> UNIQUE_VIOLATION = Set.of("23505");

  /** PostgreSQL uses 23503 for every foreign key violation; H2 uses 23506 for a missing parent. */
  private static final Set<String> FOREIGN_KEY_VIOLATION = Set.of("23503", "23506");

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Jdbi jdbi;

  private JdbcStorage(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.jdbi = Jdbi.create(dataSource);
    jdbi.registerArgument(new InstantArgumentFactory());
    jdbi.registerColumnMapper(
        Instant.class,
        (rs, column, ctx) -> {
          OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
          return t == null ? null : t.toInstant();
        });
  }

  /**
   * Storage over {@code dataSource}; opens one connection to detect the dialect.
   *
   * @param dataSource an H2 (PostgreSQL mode) or PostgreSQL data source, usually a pool; may be a
   *     {@link TenantAwareDataSource}
   * @return the storage
   * @throws IllegalArgumentException if the database is neither H2 nor PostgreSQL
   * @throws IllegalStateException if no connection can be opened
   */
  public static JdbcStorage of(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    String product;
    try (Connection c = dataSource.getConnection()) {
      product = c.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open a connection to detect the database", e);
    }
    return new JdbcStorage(dataSource, Dialect.ofProductName(product));
  }

  /** The data source this storage runs on. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The detected dialect. */
  public Dialect dialect() {
    return dialect;
  }

  /**
   * The Jdbi over the data source, with {@link Instant} mapped exactly. Statements run through it
   * directly are not tenant-scoped; use {@link #inTenantTransaction} for tenant-scoped tables.
   */
  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * Applies a module's pending Flyway migrations; a no-op when all are applied. Each module has its
   * own history table {@code tenantkit_<module>_schema_history}, so modules (and the host app's own
   * Flyway) migrate independently in one schema. Safe to run from several app instances at once:
   * Flyway serialises them with a database lock.
   *
   * <p>Each location may contain {@code {vendor}}, replaced by {@link Dialect#vendor()}, so SQL
   * that only one database understands (row-level security) lives in its own folder. Migration
   * versions are shared by all of a module's locations and must be unique across them; a vendor
   * folder may leave gaps. A schema that already holds other tables is baselined at version 0
   * first, so every migration of the module still runs.
   *
   * @param module the module name, {@code [a-z][a-z0-9_]{0,39}}, such as {@code tenancy}
   * @param locations Flyway locations, such as {@code classpath:dev/tenantkit/tenancy/db/common}
   *     and {@code classpath:dev/tenantkit/tenancy/db/{vendor}}; a location that does not exist is
   *     skipped
   * @return how many migrations were applied; 0 when the schema was already up to date
   * @throws IllegalArgumentException if the module name is malformed or no location is given
   * @throws FlywayException if a migration fails or an applied one was changed
   */
  public int migrate(String module, String... locations) {
    String table = historyTable(module);
    if (locations == null || locations.length == 0) {
      throw new IllegalArgumentException("at least one migration location is required");
    }
    String[] resolved =
        Arrays.stream(locations)
            .map(l -> Objects.requireNonNull(l, "location").replace("{vendor}", dialect.vendor()))
            .toArray(String[]::new);
    return Flyway.configure(JdbcStorage.class.getClassLoader())
        .dataSource(dataSource)
        .table(table)
        .locations(resolved)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .failOnMissingLocations(false)
        .load()
        .migrate()
        .migrationsExecuted;
  }

  /**
   * The Flyway history table of a module: {@code tenantkit_<module>_schema_history}.
   *
   * @throws IllegalArgumentException if the module name is not {@code [a-z][a-z0-9_]{0,39}}
   */
  public static String historyTable(String module) {
    if (module == null || !MODULE.matcher(module).matches()) {
      throw new IllegalArgumentException(
          "module name must be 1 to 40 characters of a-z, 0-9, '_', starting with a letter: "
              + module);
    }
    return "tenantkit_" + module + "_schema_history";
  }

  /**
   * Runs {@code callback} in one transaction that is not tenant-scoped: committed when it returns,
   * rolled back when it throws. On PostgreSQL, tables under row-level security show no rows in it
   * (unless the data source is a {@link TenantAwareDataSource} and a tenant is bound).
   *
   * @return what the callback returns
   * @throws X what the callback throws
   * @throws JdbiException if the database fails
   */
  public <R, X extends Exception> R inTransaction(HandleCallback<R, X> callback) throws X {
    Objects.requireNonNull(callback, "callback");
    return jdbi.inTransaction(callback);
  }

  /**
   * Like {@link #inTransaction} for work that returns nothing.
   *
   * @throws X what the callback throws
   * @throws JdbiException if the database fails
   */
  public <X extends Exception> void useTransaction(HandleConsumer<X> callback) throws X {
    Objects.requireNonNull(callback, "callback");
    jdbi.useTransaction(callback);
  }

  /**
   * Runs {@code callback} in one transaction scoped to {@code tenantId}: on PostgreSQL the
   * transaction first sets {@value #TENANT_SETTING} to the tenant (transaction-local), so the
   * row-level security policies apply to every statement of the callback. Committed when the
   * callback returns, rolled back when it throws. The tenant is explicit, not taken from {@link
   * dev.tenantkit.tenancy.TenantContext}, so jobs and admin calls can scope to any tenant.
   *
   * @return what the callback returns
   * @throws X what the callback throws
   * @throws JdbiException if the database fails
   */
  public <R, X extends Exception> R inTenantTransaction(
      TenantId tenantId, HandleCallback<R, X> callback) throws X {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(callback, "callback");
    return jdbi.inTransaction(
        h -> {
          bindTenant(h, tenantId);
          return callback.withHandle(h);
        });
  }

  /**
   * Scopes the rest of the transaction open on {@code handle} to {@code tenantId}: on PostgreSQL it
   * sets {@value #TENANT_SETTING} transaction-locally (one round trip); on H2 it does nothing. For
   * one transaction that writes several tenants' rows in turn, such as a batch of usage events of
   * several tenants: each tenant's statements follow its own call, and row-level security applies
   * to them as in {@link #inTenantTransaction}.
   *
   * @param handle a handle of this storage inside a transaction ({@link #inTransaction})
   * @throws JdbiException if the database fails
   */
  public void bindTenant(Handle handle, TenantId tenantId) {
    Objects.requireNonNull(tenantId, "tenantId");
    if (dialect == Dialect.POSTGRESQL) {
      handle.select(BIND_TENANT, TENANT_SETTING, tenantId.value()).mapTo(String.class).one();
    }
  }

  /**
   * As {@link #bindTenant(Handle, TenantId)}, and sets {@code also} transaction-locally in the same
   * statement: still one round trip, for a hot path that needs a planner or session setting beside
   * the tenant (such as {@code plan_cache_mode} for a statement over arrays). Keep the setting in a
   * constant; the call allocates no more than {@link #bindTenant(Handle, TenantId)}. On H2 it does
   * nothing.
   *
   * @param handle a handle of this storage inside a transaction ({@link #inTransaction})
   * @throws JdbiException if the database fails
   */
  public void bindTenant(Handle handle, TenantId tenantId, LocalSetting also) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(also, "also");
    if (dialect == Dialect.POSTGRESQL) {
      handle
          .select(BIND_TENANT_AND_ONE, TENANT_SETTING, tenantId.value(), also.name(), also.value())
          .mapTo(String.class)
          .one();
    }
  }

  /**
   * A PostgreSQL setting that {@link #bindTenant(Handle, TenantId, LocalSetting)} sets for the rest
   * of the transaction beside the tenant. Immutable.
   *
   * @param name a setting's name, such as {@code plan_cache_mode}; not one of the tenant settings
   * @param value its value, such as {@code force_custom_plan}
   */
  public record LocalSetting(String name, String value) {
    /**
     * @throws IllegalArgumentException if {@code name} is not a setting's name, or is {@value
     *     #TENANT_SETTING} or {@value #ALL_TENANTS_SETTING}, which only this class sets
     * @throws NullPointerException if an argument is null
     */
    public LocalSetting {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!SETTING_NAME.matcher(name).matches()
          || name.equals(TENANT_SETTING)
          || name.equals(ALL_TENANTS_SETTING)) {
        throw new IllegalArgumentException("not a setting another statement may set: " + name);
      }
    }
  }

  /**
   * Runs {@code callback} in one transaction of an operator job across tenants: on PostgreSQL the
   * transaction first sets {@value #ALL_TENANTS_SETTING} to {@code on} (transaction-local, so it
   * ends with the transaction and never outlives it on a pooled connection), and tables whose
   * migration called {@code tenantkit_enable_operator_read} show every tenant's rows to its
   * statements. Only reading is admitted: the operator policy is for SELECT, so an insert, update
   * or delete of a tenant's rows in it is refused (an insert fails, an update or delete touches no
   * row), exactly as with no tenant bound. A job that changes tenants' data reads here and writes
   * each tenant in {@link #inTenantTransaction}. On H2 it is a plain transaction.
   *
   * @return what the callback returns
   * @throws X what the callback throws
   * @throws JdbiException if the database fails
   */
  public <R, X extends Exception> R inAllTenantsTransaction(HandleCallback<R, X> callback)
      throws X {
    Objects.requireNonNull(callback, "callback");
    return jdbi.inTransaction(
        h -> {
          if (dialect == Dialect.POSTGRESQL) {
            h.select("select set_config(?, 'on', true)", ALL_TENANTS_SETTING)
                .mapTo(String.class)
                .one();
          }
          return callback.withHandle(h);
        });
  }

  /**
   * Like {@link #inTenantTransaction} for work that returns nothing.
   *
   * @throws X what the callback throws
   * @throws JdbiException if the database fails
   */
  public <X extends Exception> void useTenantTransaction(
      TenantId tenantId, HandleConsumer<X> callback) throws X {
    Objects.requireNonNull(callback, "callback");
    inTenantTransaction(
        tenantId,
        h -> {
          callback.useHandle(h);
          return null;
        });
  }

  /**
   * Whether {@code failure} was caused by a unique or primary key violation (SQLState {@code 23505}
   * on both H2 and PostgreSQL). Stores turn it into a {@link
   * dev.tenantkit.tenancy.ConflictException}.
   */
  public static boolean isUniqueViolation(Throwable failure) {
    return hasSqlState(failure, UNIQUE_VIOLATION);
  }

  /**
   * Whether {@code failure} was caused by a foreign key violation (SQLState {@code 23503}, or H2's
   * {@code 23506} for a missing parent row).
   */
  public static boolean isForeignKeyViolation(Throwable failure) {
    return hasSqlState(failure, FOREIGN_KEY_VIOLATION);
  }

  private static boolean hasSqlState(Throwable failure, Set<String> states) {
    // Bounded, because a cause chain may in principle form a cycle.
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
      if (t instanceof SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
          if (states.contains(s.getSQLState())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Binds instants as {@code timestamp with time zone} values in UTC, never via the JVM zone. */
  private static final class InstantArgumentFactory extends AbstractArgumentFactory<Instant> {
    InstantArgumentFactory() {
      super(Types.TIMESTAMP_WITH_TIMEZONE);
    }

    @Override
    protected Argument build(Instant value, ConfigRegistry config) {
      OffsetDateTime utc = value.atOffset(ZoneOffset.UTC);
      return (position, statement, ctx) -> statement.setObject(position, utc);
    }
  }
}
