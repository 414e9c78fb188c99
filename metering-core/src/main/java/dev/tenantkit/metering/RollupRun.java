package dev.tenantkit.metering;

import java.time.Duration;
import java.time.Instant;

/**
 * A finished run of the rollup job, as kept in the store: any instance sees the last run of any
 * other.
 *
 * @param startedAt when it started, by the clock of the instance that ran it
 * @param duration how long it took
 * @param owner the instance that ran it
 */
public record RollupRun(Instant startedAt, Duration duration, String owner) {}
