package dev.tenantkit.billing.usage;

import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.TransactionAccumulator;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * Reads the {@link Usage} one {@link Charge} prices for a tenant's billing period from metering:
 *
 * <ul>
 *   <li>a flat charge (no meter): {@link Usage#NONE};
 *   <li>the quantity: the charge's meter over the period aggregated as the charge says ({@link
 *       UsageQueries#total(TenantId, String, TimeRange, dev.tenantkit.metering.Aggregation)}),
 *       which may differ from the meter's own aggregation (the {@code WEIGHTED_SUM} of a {@code
 *       SUM} meter of bytes stored, the {@code COUNT} of any meter); a negative aggregate (a sum of
 *       a meter whose quantities may be negative) bills as zero;
 *   <li>when the charge's model {@linkplain
 *       dev.tenantkit.billing.price.PriceModel#pricesTransactions prices transactions}: each
 *       event's quantity in the period, oldest first (by timestamp, then by the order stored),
 *       streamed from the store a page at a time ({@link UsageQueries#forEachEvent}) into the
 *       model's {@link TransactionAccumulator}. For a {@link
 *       dev.tenantkit.billing.price.PercentagePrice} that keeps running totals only, so reading a
 *       period of any number of transactions takes constant memory (one page of events at a time);
 *       the usage carries the totals, which that price prices exactly as it would the list of
 *       amounts.
 * </ul>
 *
 * <p>The period is half-open, {@code [from, to)}, as every metering range: an event at the period's
 * end belongs to the next period, so no event is billed twice or never. Stateless and thread-safe.
 */
public final class ChargeUsageReader {
  private final UsageQueries queries;

  private ChargeUsageReader(UsageQueries queries) {
    this.queries = queries;
  }

  /** A reader over {@code queries}, such as {@code Metering.queries()}. */
  public static ChargeUsageReader of(UsageQueries queries) {
    return new ChargeUsageReader(Objects.requireNonNull(queries, "queries"));
  }

  /**
   * The usage {@code charge} prices for {@code tenant} over {@code period}.
   *
   * @throws dev.tenantkit.tenancy.InvalidInputException if the charge names a meter the catalog
   *     does not declare (field {@code meter}), an aggregation its meter's events cannot be read as
   *     (field {@code aggregation}), or needs raw events (a weighted sum, transactions) of a period
   *     older than the raw-event retention (field {@code period})
   */
  public Usage read(TenantId tenant, Charge charge, TimeRange period) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(charge, "charge");
    Objects.requireNonNull(period, "period");
    if (charge.isFlat()) {
      return Usage.NONE;
    }
    BigDecimal quantity =
        queries.total(tenant, charge.meter(), period, charge.aggregation()).max(BigDecimal.ZERO);
    if (!charge.model().pricesTransactions()) {
      return Usage.of(quantity);
    }
    TransactionAccumulator transactions = charge.model().transactionAccumulator();
    queries.forEachEvent(
        tenant, charge.meter(), period, e -> transactions.add(e.event().quantity()));
    return new Usage(quantity, transactions.transactions());
  }
}
