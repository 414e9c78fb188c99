package dev.tenantkit.tenancy.jdbc;

import java.time.InstantSource;
import java.util.Arrays;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;

/**
 * The base of every JDBC store's builder: the data source, the migrate switch with the module's
 * migration history table and locations, and a clock for stores that need one. A subclass adds its
 * own options and a {@code build()} that calls {@link #storage()} and constructs the store over it.
 *
 * <pre>{@code
 * public static final class Builder extends JdbcStoreBuilder<Builder> {
 *   private Builder(DataSource dataSource) {
 *     super(dataSource, "billing", "classpath:dev/tenantkit/billing/db/common",
 *         "classpath:dev/tenantkit/billing/db/{vendor}");
 *   }
 *
 *   public JdbcInvoiceStore build() {
 *     return new JdbcInvoiceStore(storage());
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #storage()} detects the dialect and, unless {@link #migrate(boolean) migrate(false)},
 * applies tenancy-core's migrations first (they create {@code tenantkit_enable_rls}, {@code
 * tenantkit_enable_operator_read} and {@code tenantkit_job_leases}, which every module's tables and
 * jobs use) and then the module's, under its own history table {@code
 * tenantkit_<module>_schema_history} (see {@link JdbcStorage#migrate}).
 *
 * <p>Not thread-safe, as builders are not.
 *
 * @param <B> the concrete builder, returned by the setters
 */
public abstract class JdbcStoreBuilder<B extends JdbcStoreBuilder<B>> {
  private final DataSource dataSource;
  private final String module;
  private final String[] locations;
  private boolean migrate = true;
  private InstantSource clock = InstantSource.system();

  /**
   * @param dataSource an H2 (PostgreSQL mode) or PostgreSQL data source, usually a pool
   * @param module the module's migration name, {@code [a-z][a-z0-9_]{0,39}}
   * @param locations the module's Flyway locations; each may contain {@code {vendor}}
   * @throws NullPointerException if the data source or a location is null
   * @throws IllegalArgumentException if the module name is malformed or no location is given
   */
  protected JdbcStoreBuilder(DataSource dataSource, String module, String... locations) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    JdbcStorage.historyTable(module);
    if (locations == null || locations.length == 0) {
      throw new IllegalArgumentException("at least one migration location is required");
    }
    Arrays.stream(locations).forEach(l -> Objects.requireNonNull(l, "location"));
    this.module = module;
    this.locations = locations.clone();
  }

  /**
   * Whether {@code build()} applies pending migrations: tenancy-core's, then this module's; default
   * true. Turn it off when a separate deployment step migrates with {@link JdbcStorage#migrate}
   * (tenancy's module first).
   *
   * @return this builder
   */
  public B migrate(boolean migrate) {
    this.migrate = migrate;
    return self();
  }

  /**
   * Sets the clock of a store that needs one; a subclass whose store does exposes it as a public
   * {@code clock(InstantSource)} option that calls this. Default {@link InstantSource#system()}.
   *
   * @return this builder
   * @throws NullPointerException if {@code clock} is null
   */
  protected final B useClock(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /** The clock set with {@link #useClock}, or the system clock. */
  protected final InstantSource clock() {
    return clock;
  }

  /**
   * Opens the storage on the data source: detects the dialect and, if {@link #migrate(boolean)} is
   * on, applies tenancy-core's pending migrations and then the module's.
   *
   * @throws IllegalArgumentException if the database is neither H2 nor PostgreSQL
   * @throws IllegalStateException if no connection can be opened
   * @throws FlywayException if a migration fails or an applied one was changed
   */
  protected final JdbcStorage storage() {
    JdbcStorage storage = JdbcStorage.of(dataSource);
    if (migrate) {
      JdbcTenancyStore.migrate(storage);
      if (!module.equals(JdbcTenancyStore.MODULE)) {
        storage.migrate(module, locations);
      }
    }
    return storage;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    // Sound as long as each subclass names itself as B, as the class's contract asks.
    return (B) this;
  }
}
