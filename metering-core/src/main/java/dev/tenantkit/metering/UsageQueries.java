package dev.tenantkit.metering;

import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads usage. Results combine the hourly and daily rollups with the raw events not yet rolled up,
 * so a total is the same before and after a rollup. Every method but {@link #topConsumers} reads
 * one tenant only. Thread-safe.
 *
 * <p>Methods throw {@link dev.tenantkit.tenancy.InvalidInputException} for an unknown meter, an
 * undeclared dimension, a bad cursor or limit, and {@link UsageRejectedException} never.
 */
public interface UsageQueries {
  /** The row limit of {@link #exportCsv(TenantId, EventFilter, Writer)}. */
  int DEFAULT_EXPORT_ROWS = 50_000;

  /** The meter's aggregate for the tenant over {@code range}. */
  BigDecimal total(TenantId tenantId, String meter, TimeRange range);

  /**
   * The meter's events for the tenant over {@code range} aggregated as {@code as}, which may differ
   * from the aggregation the meter declares: a billing charge may bill the {@code MAX} or {@code
   * WEIGHTED_SUM} of a {@code SUM} meter, or the {@code COUNT} of any meter.
   *
   * @throws dev.tenantkit.tenancy.InvalidInputException (field {@code aggregation}) if the meter's
   *     events cannot be read so ({@link MeterDefinition#readableAs}); (field {@code period}) for a
   *     {@code WEIGHTED_SUM} over a range whose raw events are no longer kept
   */
  BigDecimal total(TenantId tenantId, String meter, TimeRange range, Aggregation as);

  /**
   * Streams the tenant's raw events of one meter in {@code range} to {@code sink}, oldest first (by
   * timestamp, then by the order they were stored), reading the store a page at a time so that no
   * more than a page is held: what a price model that prices each transaction needs. Each page is
   * read in its own transaction, so the sink may query again.
   *
   * @return how many events were passed to the sink
   * @throws dev.tenantkit.tenancy.InvalidInputException (field {@code period}) if raw events of the
   *     range have been deleted by the raw retention, rather than stream some of them
   */
  long forEachEvent(TenantId tenantId, String meter, TimeRange range, Consumer<RecordedEvent> sink);

  /**
   * The meter's aggregate per bucket, every bucket of the range present (zero when empty).
   *
   * @param zone the time zone whose calendar the day and month buckets follow
   */
  List<UsagePoint> series(
      TenantId tenantId, String meter, TimeRange range, Granularity granularity, ZoneId zone);

  /**
   * The meter's aggregate per value of one declared dimension, largest first (ties by value).
   * Events without the dimension are reported under the empty string.
   */
  Map<String, BigDecimal> breakdown(
      TenantId tenantId, String meter, String dimension, TimeRange range);

  /**
   * Percentiles of a distribution meter's quantities, each within 1% of the exact value (relative
   * error, from a mergeable DDSketch); all zero when the range has no event.
   */
  Percentiles percentiles(TenantId tenantId, String meter, TimeRange range);

  /**
   * The tenants with the largest aggregate of the meter (ties by tenant id), only tenants with an
   * event in the range; an operator view across tenants, never to be exposed to a tenant.
   *
   * @param limit 1 to 1,000
   */
  List<TenantUsage> topConsumers(String meter, TimeRange range, int limit);

  /**
   * The meter's usage across every tenant with an event in the range: the total, how many tenants,
   * and the {@code top} largest as {@link #topConsumers} lists them. An operator view across
   * tenants, never to be exposed to a tenant. It reads every such tenant, as {@link #topConsumers}
   * does.
   *
   * @param top how many of the largest to list, 1 to 1,000
   */
  UsageAcrossTenants acrossTenants(String meter, TimeRange range, int top);

  /**
   * {@link #acrossTenants(String, TimeRange, int)} of several meters at once, reading each tenant
   * once for all of them rather than once per meter: what an operator overview of every meter
   * needs. With several meters each read covers all of the tenant's meters in the range, so ask for
   * several when most of the catalog is wanted.
   *
   * @param meters the meters, at least one
   * @param top how many of the largest to list per meter, 1 to 1,000
   * @return each meter's consumers, in the order of {@code meters}
   * @throws dev.tenantkit.tenancy.InvalidInputException if {@code meters} is empty or names an
   *     unknown meter, the range is missing, or {@code top} is out of bounds
   */
  Map<String, UsageAcrossTenants> acrossTenants(
      Collection<String> meters, TimeRange range, int top);

  /**
   * Raw events of the tenant, newest (highest id) first, with a stable cursor: events recorded
   * after the first page never shift later pages. The cursor is bound to the tenant and the filter;
   * any other cursor is refused with {@link dev.tenantkit.tenancy.InvalidInputException}. A range
   * without an upper bound ends at {@link EventFilter#OPEN_END} ({@link EventFilter#since}), not at
   * the current time, so that the next page's filter is the same.
   *
   * @param cursor {@code null} for the first page, else a previous page's {@link Page#nextCursor()}
   * @param limit 1 to 1,000
   */
  Page<RecordedEvent> events(TenantId tenantId, EventFilter filter, String cursor, int limit);

  /**
   * Streams the tenant's raw events as CSV (RFC 4180, CRLF, a header row) to {@code out}, newest
   * first, at most {@code rowLimit} rows, reading the store page by page. Text cells that a
   * spreadsheet would run as a formula (starting with {@code = + - @}, a tab or a carriage return)
   * are prefixed with {@code '}; dimensions and properties are JSON objects.
   *
   * @param rowLimit 1 to 1,000,000
   * @return how many rows were written, the header not counted
   * @throws java.io.UncheckedIOException if writing to {@code out} fails
   */
  long exportCsv(TenantId tenantId, EventFilter filter, Writer out, int rowLimit);

  /**
   * {@link #exportCsv(TenantId, EventFilter, Writer, int)} with at most {@value
   * #DEFAULT_EXPORT_ROWS} rows.
   */
  default long exportCsv(TenantId tenantId, EventFilter filter, Writer out) {
    return exportCsv(tenantId, filter, out, DEFAULT_EXPORT_ROWS);
  }
}
