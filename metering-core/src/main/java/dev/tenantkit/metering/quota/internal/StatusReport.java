package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.QuotaStatus;
import dev.tenantkit.metering.quota.internal.LimitTable.Limit;
import dev.tenantkit.metering.quota.spi.QuotaCell;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a tenant stands on one limit: usage, what is left, the thresholds passed. Reads the store
 * and changes nothing. Thread-safe.
 */
final class StatusReport {
  private static final long UNLIMITED = LimitSpec.UNLIMITED;

  private final CounterDecisions counters;
  private final int[] thresholds;

  StatusReport(CounterDecisions counters, int[] thresholds) {
    this.counters = counters;
    this.thresholds = thresholds;
  }

  /** The status of {@code limit} under {@code rule} and the tenant's {@code override}, or -1. */
  QuotaStatus status(TenantSlot slot, Limit limit, Rule rule, long override, long now) {
    QuotaCell cell = slot.cell(limit.index());
    long effective = rule.effective(override);
    boolean unlimited = effective == UNLIMITED;
    long used;
    Instant resetAt = null;
    switch (rule.kind) {
      case ALLOWANCE:
        CalendarWindows.Window w = counters.window(rule, now);
        used = cell.counter(w.start) - CounterDecisions.unspent(slot, limit, w.start);
        resetAt = unlimited ? null : Instant.ofEpochMilli(w.end);
        break;
      case GAUGE:
        used = cell.counter(counters.window(rule, now).start);
        break;
      default:
        if (unlimited) {
          used = 0;
        } else {
          long nowNanos = now * BucketDecisions.NANOS_PER_MILLI;
          long base = Math.max(cell.bucket(), nowNanos);
          used = effective - BucketDecisions.tokens(rule.bucket(override), base, nowNanos);
          resetAt = Instant.ofEpochMilli(BucketDecisions.ceilMillis(base));
        }
        break;
    }
    List<Integer> crossed = new ArrayList<>();
    if (!unlimited) {
      for (int i = 0; i < thresholds.length; i++) {
        long mark = rule.mark(effective, thresholds, i);
        if (mark > 0 && used >= mark) {
          crossed.add(thresholds[i]);
        }
      }
    }
    return new QuotaStatus(
        rule.name,
        rule.kind,
        used,
        effective,
        unlimited ? UNLIMITED : Math.max(0, effective - used),
        unlimited ? 0 : percent(used, effective),
        resetAt,
        rule.hard,
        override >= 0,
        crossed);
  }

  private static int percent(long used, long limit) {
    if (limit == 0) {
      // Nothing is left whatever was used, so the limit is fully used; any other figure would be a
      // ratio to zero.
      return 100;
    }
    BigInteger p =
        BigInteger.valueOf(used)
            .multiply(BigInteger.valueOf(100))
            .divide(BigInteger.valueOf(limit));
    return p.bitLength() < 31 ? p.intValue() : Integer.MAX_VALUE;
  }
}
