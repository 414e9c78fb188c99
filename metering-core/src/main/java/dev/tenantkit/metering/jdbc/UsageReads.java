package dev.tenantkit.metering.jdbc;

import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.internal.Json;
import dev.tenantkit.metering.internal.Quantities;
import dev.tenantkit.metering.spi.Rollup;
import dev.tenantkit.metering.spi.TenantMarks;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.Query;

/**
 * The reads of {@link JdbcUsageStore}: raw events (scan, first timestamp, newest first), rollup
 * rows and the rollup job's marks, each in the tenant's own transaction; the list of every tenant's
 * marks in an operator transaction. Thread-safe.
 */
final class UsageReads {
  private static final int FETCH = 1_000;
  private static final String EVENT_COLUMNS =
      "id, meter, ts, quantity, idempotency_key, dimensions, properties, user_id, source,"
          + " recorded_at";

  private final JdbcStorage storage;

  UsageReads(JdbcStorage storage) {
    this.storage = storage;
  }

  void scan(
      TenantId tenantId, String meter, Instant from, Instant to, Consumer<RecordedEvent> sink) {
    storage.useTenantTransaction(
        tenantId,
        h -> {
          Query q =
              h.createQuery(
                      "select "
                          + EVENT_COLUMNS
                          + " from tenantkit_metering_events where tenant_id = :t"
                          + (meter == null ? "" : " and meter = :m")
                          + " and ts >= :from and ts < :to")
                  .bind("t", tenantId.value())
                  .bind("from", from)
                  .bind("to", to)
                  .setFetchSize(FETCH);
          if (meter != null) {
            q.bind("m", meter);
          }
          q.map((rs, ctx) -> event(tenantId, rs)).forEach(sink);
        });
  }

  /**
   * A keyset page in (ts, id) order, read along the (tenant_id, meter, ts) index. The row-value
   * comparison is spelled out with or, which H2 and PostgreSQL both plan as a range on ts.
   */
  List<RecordedEvent> eventsInTimeOrder(
      TenantId tenantId,
      String meter,
      Instant from,
      Instant to,
      Instant afterAt,
      long afterId,
      int limit) {
    String sql =
        "select "
            + EVENT_COLUMNS
            + " from tenantkit_metering_events where tenant_id = :t and meter = :m"
            + " and ts >= :from and ts < :to"
            + (afterAt == null ? "" : " and (ts > :at or (ts = :at and id > :id))")
            + " order by ts, id limit :limit";
    return storage.inTenantTransaction(
        tenantId,
        h -> {
          Query q =
              h.createQuery(sql)
                  .bind("t", tenantId.value())
                  .bind("m", meter)
                  .bind("from", from)
                  .bind("to", to)
                  .bind("limit", limit);
          if (afterAt != null) {
            q.bind("at", afterAt).bind("id", afterId);
          }
          return q.map((rs, ctx) -> event(tenantId, rs)).list();
        });
  }

  Optional<Instant> firstEventAt(TenantId tenantId, Instant notBefore) {
    return storage.inTenantTransaction(
        tenantId,
        h ->
            h.createQuery(
                    "select min(ts) from tenantkit_metering_events"
                        + " where tenant_id = ? and ts >= ?")
                .bind(0, tenantId.value())
                .bind(1, notBefore)
                .mapTo(Instant.class)
                .findOne());
  }

  List<RecordedEvent> events(TenantId tenantId, EventFilter filter, long beforeId, int limit) {
    StringBuilder sql =
        new StringBuilder("select ")
            .append(EVENT_COLUMNS)
            .append(" from tenantkit_metering_events where tenant_id = :t and id < :before");
    if (filter.meter() != null) {
      sql.append(" and meter = :meter");
    }
    if (filter.range() != null) {
      sql.append(" and ts >= :from and ts < :to");
    }
    if (filter.userId() != null) {
      sql.append(" and user_id = :user");
    }
    if (filter.source() != null) {
      sql.append(" and source = :source");
    }
    sql.append(" order by id desc limit :limit");
    return storage.inTenantTransaction(
        tenantId,
        h -> {
          Query q =
              h.createQuery(sql.toString())
                  .bind("t", tenantId.value())
                  .bind("before", beforeId)
                  .bind("limit", limit);
          if (filter.meter() != null) {
            q.bind("meter", filter.meter());
          }
          if (filter.range() != null) {
            q.bind("from", filter.range().from()).bind("to", filter.range().to());
          }
          if (filter.userId() != null) {
            q.bind("user", filter.userId());
          }
          if (filter.source() != null) {
            q.bind("source", filter.source());
          }
          return q.map((rs, ctx) -> event(tenantId, rs)).list();
        });
  }

  TenantMarks marks(TenantId tenantId) {
    return storage.inTenantTransaction(
        tenantId,
        h ->
            h.createQuery(
                    "select rolled_up_to, raw_events_from from tenantkit_metering_tenants"
                        + " where tenant_id = ?")
                .bind(0, tenantId.value())
                .map(
                    (rs, ctx) ->
                        new TenantMarks(
                            tenantId, instant(rs, "rolled_up_to"), instant(rs, "raw_events_from")))
                .findOne()
                .orElse(TenantMarks.none(tenantId)));
  }

  List<TenantMarks> tenants() {
    return storage.inAllTenantsTransaction(
        h ->
            h.createQuery(
                    "select tenant_id, rolled_up_to, raw_events_from from tenantkit_metering_tenants"
                        + " order by tenant_id")
                .map(
                    (rs, ctx) ->
                        new TenantMarks(
                            new TenantId(rs.getString("tenant_id")),
                            instant(rs, "rolled_up_to"),
                            instant(rs, "raw_events_from")))
                .list());
  }

  List<Rollup> rollups(
      TenantId tenantId,
      String meter,
      Granularity granularity,
      Instant from,
      Instant to,
      String dimension) {
    String sql =
        "select * from tenantkit_metering_rollups where tenant_id = :t"
            + (meter == null ? "" : " and meter = :meter")
            + " and granularity = :g and bucket_start >= :from and bucket_start < :to"
            + (dimension == null ? "" : " and dimension = :dim");
    return storage.inTenantTransaction(
        tenantId,
        h -> {
          Query q =
              h.createQuery(sql)
                  .bind("t", tenantId.value())
                  .bind("g", granularity.name())
                  .bind("from", from)
                  .bind("to", to)
                  .setFetchSize(FETCH);
          if (meter != null) {
            q.bind("meter", meter);
          }
          if (dimension != null) {
            q.bind("dim", dimension);
          }
          return q.map((rs, ctx) -> rollup(tenantId, rs)).list();
        });
  }

  private static RecordedEvent event(TenantId tenant, ResultSet rs) throws SQLException {
    UsageEvent e =
        new UsageEvent(
            tenant,
            rs.getString("meter"),
            Quantities.normalize(rs.getBigDecimal("quantity")),
            instant(rs, "ts"),
            rs.getString("idempotency_key"),
            Json.read(rs.getString("dimensions")),
            Json.read(rs.getString("properties")),
            rs.getString("user_id"),
            rs.getString("source"));
    return new RecordedEvent(rs.getLong("id"), e, instant(rs, "recorded_at"));
  }

  private static Rollup rollup(TenantId tenant, ResultSet rs) throws SQLException {
    return new Rollup(
        tenant,
        rs.getString("meter"),
        Granularity.valueOf(rs.getString("granularity")),
        instant(rs, "bucket_start"),
        rs.getString("dimension"),
        rs.getString("dimension_value"),
        rs.getLong("event_count"),
        decimal(rs, "quantity_sum"),
        decimal(rs, "quantity_max"),
        instant(rs, "latest_at"),
        rs.getLong("latest_id"),
        decimal(rs, "latest_value"),
        rs.getBytes("users"),
        rs.getBytes("sketch"));
  }

  private static BigDecimal decimal(ResultSet rs, String column) throws SQLException {
    return Quantities.normalize(rs.getBigDecimal(column));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
