package dev.tenantkit.metering;

import java.time.Duration;
import java.time.Instant;

/**
 * What one {@link RollupJob#run()} did.
 *
 * @param startedAt when the run started
 * @param duration how long it took
 * @param ran false when another instance held the job's lease, so this one did nothing
 * @param tenants how many tenants were visited
 * @param hoursRolledUp how many hourly rollup rows were written
 * @param daysRolledUp how many daily rollup rows were written
 * @param rawEventsDeleted raw events deleted after their retention (and after their hours were
 *     rolled up)
 * @param rollupsDeleted rollup rows deleted after their retention
 * @param keysPruned idempotency keys deleted after their retention
 */
public record RollupReport(
    Instant startedAt,
    Duration duration,
    boolean ran,
    int tenants,
    long hoursRolledUp,
    long daysRolledUp,
    long rawEventsDeleted,
    long rollupsDeleted,
    long keysPruned) {}
