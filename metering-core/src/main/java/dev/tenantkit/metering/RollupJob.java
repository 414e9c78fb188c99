package dev.tenantkit.metering;

import java.util.Optional;

/**
 * Rolls raw events up into hourly and daily aggregates and applies the retention of raw events,
 * rollups and idempotency keys. The library never schedules it: the host calls {@link #run()} from
 * its own scheduler (every few minutes is plenty).
 *
 * <p>Only hours that ended before {@code now - maxLateness} (plus a few minutes of settling) are
 * rolled up, so no event can still arrive in a rolled-up hour. A run recomputes each bucket from
 * raw events and upserts it, so running it again, or on two instances at once, gives the same
 * result; a lease row in the store lets only one instance work at a time. Thread-safe.
 */
public interface RollupJob {

  /**
   * Runs once now, in the calling thread.
   *
   * @return what was done; {@link RollupReport#ran()} is false if another instance holds the lease
   * @throws dev.tenantkit.tenancy.TenantkitException never on purpose; a store failure propagates
   *     as the store's unchecked exception and a later run picks up where this one stopped
   */
  RollupReport run();

  /** The last finished run by any instance sharing the store, if there was one. */
  Optional<RollupRun> lastRun();
}
