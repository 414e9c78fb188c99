package dev.tenantkit.metering;

import java.math.BigDecimal;

/**
 * Percentiles of a distribution meter over a range, from a mergeable DDSketch. Each value is within
 * {@link #relativeError()} of the exact percentile of the recorded quantities.
 *
 * @param count how many events
 * @param p50 the median
 * @param p95 the 95th percentile
 * @param p99 the 99th percentile
 * @param relativeError the sketch's guaranteed relative accuracy, for example 0.01
 */
public record Percentiles(
    long count, BigDecimal p50, BigDecimal p95, BigDecimal p99, BigDecimal relativeError) {}
