package dev.tenantkit.benchmarks.internal;

import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.tenancy.TenantId;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Usage events of the {@code tokens} meter, as {@link UsageEvent}s for Tenantkit and as the same
 * rows in PostgreSQL {@code COPY} text format for the raw baseline, and the raw table operations
 * the benchmarks need ({@code COPY}, bulk loading, truncation). All of these go through a superuser
 * data source: PostgreSQL refuses {@code COPY FROM} into a table under row-level security for any
 * other role. Instances are not thread-safe (they hold a random source); the static methods are.
 */
public final class UsageRows {
  /** The meter of every generated event: durable, dimension {@code model}. */
  public static final String METER = "tokens";

  /** The columns a {@code COPY} fills; the id comes from the table's identity. */
  public static final String COLUMNS =
      "tenant_id, meter, ts, quantity, idempotency_key, dimensions, properties, user_id, source,"
          + " recorded_at";

  private static final String[] MODELS = {"small", "large"};

  private final SplittableRandom random;

  /** Rows drawn from a random source seeded with {@code seed}, so runs repeat. */
  public UsageRows(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * {@code n} events of {@code tenant} with keys {@code prefix-0 ... prefix-(n-1)}, no timestamp
   * (the meter stamps them), quantities 1 to 1000 and a model dimension.
   */
  public List<UsageEvent> events(TenantId tenant, String prefix, int n) {
    List<UsageEvent> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          UsageEvent.builder(tenant, METER)
              .quantity(1 + random.nextInt(1000))
              .idempotencyKey(prefix + "-" + i)
              .dimension("model", MODELS[i & 1])
              .build());
    }
    return out;
  }

  /**
   * The {@code COPY} text of the rows {@link #events} would store for the same arguments, stamped
   * {@code now} (to the microsecond, as the meter stamps).
   */
  public String copyText(TenantId tenant, String prefix, int n, Instant now) {
    String ts = now.truncatedTo(ChronoUnit.MICROS).toString();
    StringBuilder sb = new StringBuilder(n * 120);
    for (int i = 0; i < n; i++) {
      appendRow(sb, tenant, ts, 1 + random.nextInt(1000), prefix + "-" + i, MODELS[i & 1], ts);
    }
    return sb.toString();
  }

  private static void appendRow(
      StringBuilder sb,
      TenantId tenant,
      String ts,
      long quantity,
      String key,
      String model,
      String recordedAt) {
    sb.append(tenant.value())
        .append('\t')
        .append(METER)
        .append('\t')
        .append(ts)
        .append('\t')
        .append(quantity)
        .append('\t')
        .append(key)
        .append("\t{\"model\":\"")
        .append(model)
        .append("\"}\t{}\t\\N\t\\N\t")
        .append(recordedAt)
        .append('\n');
  }

  /**
   * Copies rows in {@code COPY} text format into the raw events table in one statement.
   *
   * @return how many rows were copied
   * @throws IllegalStateException if the copy fails
   */
  public static long copy(DataSource superuser, String text) {
    try (Connection c = superuser.getConnection()) {
      c.setAutoCommit(true);
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      Reader in = new StringReader(text);
      return copy.copyIn("copy tenantkit_metering_events (" + COLUMNS + ") from stdin", in);
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("COPY into the events table failed", e);
    }
  }

  /**
   * Inserts {@code count} events of {@code tenant} into the raw events table in one statement that
   * generates them in the database, their timestamps spread evenly over {@code [from, to)},
   * quantities 1 to 1000 and the model alternating; then registers the tenant for the rollup job
   * and analyses the table. For loading millions of rows quickly: nothing crosses the network.
   *
   * @return the sum of the quantities inserted
   * @throws IllegalStateException if the insert fails
   */
  public static long load(
      DataSource superuser, TenantId tenant, long count, Instant from, Instant to) {
    long spanMicros = ChronoUnit.MICROS.between(from, to);
    try (Connection c = superuser.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement insert =
          c.prepareStatement(
              "insert into tenantkit_metering_events (tenant_id, meter, ts, quantity,"
                  + " idempotency_key, dimensions, properties, recorded_at)"
                  + " select ?, ?, e.ts, 1 + (e.i * 7919) % 1000, 'load-' || e.i,"
                  + " case when e.i % 2 = 0 then '{\"model\":\"small\"}'"
                  + " else '{\"model\":\"large\"}' end, '{}', e.ts"
                  + " from (select i, ?::timestamptz"
                  + " + (i::numeric * ? / ?)::bigint * interval '1 microsecond' as ts"
                  + " from generate_series(0::bigint, ? - 1) as i) as e")) {
        insert.setString(1, tenant.value());
        insert.setString(2, METER);
        insert.setObject(3, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        insert.setLong(4, spanMicros);
        insert.setLong(5, count);
        insert.setLong(6, count);
        insert.executeUpdate();
      }
      try (PreparedStatement register =
          c.prepareStatement(
              "insert into tenantkit_metering_tenants (tenant_id) values (?)"
                  + " on conflict do nothing")) {
        register.setString(1, tenant.value());
        register.executeUpdate();
      }
      try (Statement s = c.createStatement()) {
        s.execute("analyze tenantkit_metering_events");
      }
      long sum = 0;
      for (long i = 0; i < count; i++) {
        sum += 1 + (i * 7919) % 1000;
      }
      return sum;
    } catch (SQLException e) {
      throw new IllegalStateException("loading events failed", e);
    }
  }

  /**
   * Empties the raw events and idempotency key tables.
   *
   * @throws IllegalStateException if it fails
   */
  public static void truncate(DataSource superuser) {
    try (Connection c = superuser.getConnection();
        Statement s = c.createStatement()) {
      s.execute("truncate tenantkit_metering_events, tenantkit_metering_keys");
    } catch (SQLException e) {
      throw new IllegalStateException("truncate failed", e);
    }
  }
}
