package dev.tenantkit.metering;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One bucket of a time series.
 *
 * @param start the bucket's start
 * @param value the meter's aggregate over the bucket
 */
public record UsagePoint(Instant start, BigDecimal value) {}
