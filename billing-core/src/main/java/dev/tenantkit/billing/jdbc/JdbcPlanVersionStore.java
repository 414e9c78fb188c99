package dev.tenantkit.billing.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanPricesJson;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import dev.tenantkit.tenancy.jdbc.JdbcStoreBuilder;
import java.time.InstantSource;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * Published plan versions in H2 (PostgreSQL mode) or PostgreSQL, in the platform table {@code
 * tenantkit_billing_plan_versions} (no tenant, no row-level security), migrated with the rest of
 * billing (module {@value JdbcBillingStore#MODULE}).
 *
 * <pre>{@code
 * PlanVersionStore versions = JdbcPlanVersionStore.builder(dataSource).build();
 * }</pre>
 *
 * <p>{@link #publish} reads the latest version and inserts the next one; {@code (plan_id, version)}
 * is the primary key, so of two instances publishing at once one insert fails and that publisher
 * reads again: it then finds its prices (same fingerprint) or publishes after the other. Versions
 * stay gap-free. The prices are stored in the catalog's own JSON form ({@link PlanPricesJson}: the
 * {@code prices} section of a catalog file, no Java class or record component names), with a {@code
 * schema_version} column that is checked before the document is read; reading one back also checks
 * it against its stored fingerprint. A row that cannot be read (a {@code schema_version} this build
 * does not know, such as the 0 of rows stored before schema versions, or a document not of its
 * version's form) throws {@link StoredDocumentException} from {@link #latest} and {@link #get};
 * {@link #publish} throws {@link IllegalArgumentException}, and stores nothing, for prices with a
 * price model that has no catalog form (one defined outside the price package). Thread-safe.
 */
public final class JdbcPlanVersionStore implements PlanVersionStore {
  /**
   * Decimals are read as written: the catalog reader refuses a number parsed in binary floating
   * point.
   */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private final JdbcStorage storage;
  private final InstantSource clock;

  private JdbcPlanVersionStore(JdbcStorage storage, InstantSource clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /** A builder over {@code dataSource}, an H2 or PostgreSQL data source (usually a pool). */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  @Override
  public Optional<PlanVersion> latest(String planId) {
    return storage.inTransaction(h -> latest(h, planId));
  }

  private static Optional<PlanVersion> latest(Handle h, String planId) {
    return h.createQuery(
            "select version, fingerprint, schema_version, document"
                + " from tenantkit_billing_plan_versions"
                + " where plan_id = :plan order by version desc limit 1")
        .bind("plan", planId)
        .map(
            (rs, ctx) ->
                version(planId, rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getString(4)))
        .findOne();
  }

  @Override
  public Optional<PlanVersion> get(String planId, int version) {
    return storage.inTransaction(
        h ->
            h.createQuery(
                    "select fingerprint, schema_version, document from"
                        + " tenantkit_billing_plan_versions"
                        + " where plan_id = :plan and version = :version")
                .bind("plan", planId)
                .bind("version", version)
                .map(
                    (rs, ctx) ->
                        version(planId, version, rs.getString(1), rs.getInt(2), rs.getString(3)))
                .findOne());
  }

  private static PlanVersion version(
      String planId, int version, String fingerprint, int schemaVersion, String doc) {
    String what = "plan version " + planId + " v" + version;
    StoredDocumentException.requireSupported(what, schemaVersion);
    PlanPrices prices;
    try {
      prices = PlanPricesJson.read(JSON.readTree(doc), what);
    } catch (JsonProcessingException | InvalidInputException e) {
      throw new StoredDocumentException(
          what, schemaVersion, "not a plan's prices in the catalog's form", e);
    }
    // The constructor checks that the prices read back have the stored fingerprint.
    return new PlanVersion(planId, version, prices, fingerprint);
  }

  private static String document(PlanPrices prices) {
    try {
      return JSON.writeValueAsString(PlanPricesJson.write(prices));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a plan's prices", e);
    }
  }

  @Override
  public PlanVersion publish(String planId, PlanPrices prices) {
    PlanVersion first = PlanVersion.of(planId, 1, prices);
    String document = document(prices);
    while (true) {
      try {
        return storage.inTransaction(
            h -> {
              Optional<PlanVersion> latest = latest(h, planId);
              if (latest.isPresent() && latest.get().fingerprint().equals(first.fingerprint())) {
                return latest.get();
              }
              PlanVersion next =
                  latest.isEmpty()
                      ? first
                      : new PlanVersion(
                          planId, latest.get().version() + 1, prices, first.fingerprint());
              h.createUpdate(
                      "insert into tenantkit_billing_plan_versions (plan_id, version, fingerprint,"
                          + " schema_version, document, published_at) values (:plan, :version,"
                          + " :fingerprint, :schema, :document, :at)")
                  .bind("plan", planId)
                  .bind("version", next.version())
                  .bind("fingerprint", next.fingerprint())
                  .bind("schema", StoredDocumentException.CURRENT)
                  .bind("document", document)
                  .bind("at", clock.instant())
                  .execute();
              return next;
            });
      } catch (JdbiException e) {
        if (!JdbcStorage.isUniqueViolation(e)) {
          throw e;
        }
        // Another publisher took this version number first: read again.
      }
    }
  }

  /**
   * Builder of {@link JdbcPlanVersionStore}: the options of {@link JdbcStoreBuilder} (the migrate
   * switch applies tenancy-core's migrations, then billing's), and the clock that dates
   * publications. Not thread-safe.
   */
  public static final class Builder extends JdbcStoreBuilder<Builder> {
    private Builder(DataSource dataSource) {
      super(
          dataSource,
          JdbcBillingStore.MODULE,
          JdbcBillingStore.COMMON_LOCATION,
          JdbcBillingStore.VENDOR_LOCATION);
    }

    /** The clock that dates publications; the system clock unless set. */
    public Builder clock(InstantSource clock) {
      return useClock(clock);
    }

    /**
     * Detects the database, migrates if asked to, and builds the store.
     *
     * @throws IllegalArgumentException if the database is neither H2 nor PostgreSQL
     * @throws IllegalStateException if no connection can be opened
     * @throws org.flywaydb.core.api.FlywayException if a migration fails
     */
    public JdbcPlanVersionStore build() {
      return new JdbcPlanVersionStore(storage(), clock());
    }
  }
}
