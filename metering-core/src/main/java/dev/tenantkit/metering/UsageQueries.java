package dev.tenantkit.metering;

import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Reads usage. Results combine the hourly and daily rollups with the raw events not yet rolled up,
 * so a total is the same before and after a rollup. Every method but {@link #topConsumers} reads
 * one tenant only. Thread-safe.
 *
 * <p>Methods throw {@link dev.tenantkit.tenancy.InvalidInputException} for an unknown meter, an
 * undeclared dimension, a bad cursor or limit, and {@link UsageRejectedException} never.
 */
public interface UsageQueries {

  /** The meter's aggregate for the tenant over {@code range}. */
  BigDecimal total(TenantId tenantId, String meter, TimeRange range);

  /**
   * The meter's aggregate per bucket, every bucket of the range present (zero when empty).
   *
   * @param zone the time zone whose calendar the day and month buckets follow
   */
  List<UsagePoint> series(
      TenantId tenantId, String meter, TimeRange range, Granularity granularity, ZoneId zone);

  /** The meter's aggregate per value of one declared dimension, largest first. */
  Map<String, BigDecimal> breakdown(
      TenantId tenantId, String meter, String dimension, TimeRange range);

  /** Percentiles of a distribution meter's quantities. */
  Percentiles percentiles(TenantId tenantId, String meter, TimeRange range);

  /** The tenants with the largest aggregate of the meter; an operator view across tenants. */
  List<TenantUsage> topConsumers(String meter, TimeRange range, int limit);

  /**
   * Raw events of the tenant, newest first, with a stable cursor: events recorded after the first
   * page never shift later pages.
   */
  Page<RecordedEvent> events(TenantId tenantId, EventFilter filter, String cursor, int limit);

  /**
   * Streams the tenant's raw events as CSV (RFC 4180) to {@code out}, at most {@code rowLimit}
   * rows. Cells that a spreadsheet would run as a formula are prefixed with {@code '}.
   *
   * @return how many rows were written
   */
  long exportCsv(TenantId tenantId, EventFilter filter, Writer out, int rowLimit);
}
