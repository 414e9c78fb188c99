package dev.tenantkit.benchmarks.internal;

import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.tenancy.TenantId;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Usage events of the {@code tokens} meter, as {@link UsageEvent}s for Tenantkit and as the same
 * rows in PostgreSQL {@code COPY} text format for the raw baseline, and the raw table operations
 * the benchmarks need (bulk {@code COPY}, truncation). All {@code COPY} and truncation goes through
 * a superuser data source: PostgreSQL refuses {@code COPY FROM} into a table under row-level
 * security for any other role. Not thread-safe (it holds a random source).
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
   * Streams {@code count} events of {@code tenant} into the raw events table with one {@code COPY},
   * their timestamps spread evenly over {@code [from, to)}, and registers the tenant for the rollup
   * job. For loading millions of rows without holding them in memory.
   *
   * @throws IllegalStateException if the copy fails
   */
  public void load(DataSource superuser, TenantId tenant, long count, Instant from, Instant to) {
    long spanMicros = ChronoUnit.MICROS.between(from, to);
    try (Connection c = superuser.getConnection()) {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute(
            "insert into tenantkit_metering_tenants (tenant_id) values ('"
                + tenant.value()
                + "') on conflict do nothing");
      }
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      CopyIn in = copy.copyIn("copy tenantkit_metering_events (" + COLUMNS + ") from stdin");
      try (Writer w =
          new OutputStreamWriter(new PGCopyOutputStream(in, 1 << 20), StandardCharsets.UTF_8)) {
        StringBuilder sb = new StringBuilder(256);
        for (long i = 0; i < count; i++) {
          String ts = from.plus(spanMicros * i / count, ChronoUnit.MICROS).toString();
          sb.setLength(0);
          appendRow(
              sb, tenant, ts, 1 + random.nextInt(1000), "load-" + i, MODELS[(int) (i & 1)], ts);
          w.append(sb);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("loading events failed", e);
    } catch (IOException e) {
      throw new UncheckedIOException("loading events failed", e);
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
