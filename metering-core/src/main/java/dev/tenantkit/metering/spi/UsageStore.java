package dev.tenantkit.metering.spi;

import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jobs.JobLeases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Storage of usage: raw events with their idempotency keys, hourly and daily rollups, the rollup
 * job's per-tenant marks, and the job leases kept with them. A minimal set of primitives:
 * validation, duplicate detection within a batch, aggregation, query planning and the rollup
 * algorithm live in the core and are written once.
 *
 * <p>Implementations must be thread-safe and, when shared by several application instances (JDBC),
 * correct under concurrent use from all of them: idempotency keys are unique per tenant in the
 * store itself, never in a cache. Every method but {@link #tenants()}, {@link #append} and {@link
 * #jobLeases()} touches one tenant only. Failures surface as unchecked exceptions; the core turns
 * them into {@link dev.tenantkit.metering.RejectionReason#STORE_UNAVAILABLE}. Every implementation
 * passes the contract suite {@code UsageStoreContract} from the metering-core test-jar.
 */
public interface UsageStore {

  /**
   * Stores a batch of events in one transaction: all of it or, on an exception, none of it. For
   * each event in order: if the tenant already has its idempotency key (stored earlier, or by an
   * earlier event of this batch), nothing is written and the hash kept under the key is returned;
   * else the key, with the event's payload hash, and the event are stored. Keys are kept until
   * {@link #deleteKeys}, independently of the events.
   *
   * @return one result per event, in order
   */
  List<AppendResult> append(List<NewEvent> events);

  /**
   * Streams the tenant's raw events whose timestamp is in {@code [from, to)}, in no particular
   * order. The sink must not call back into the store (a JDBC store holds a connection and a cursor
   * while it runs).
   *
   * @param meter only this meter, or {@code null} for all
   */
  void scan(
      TenantId tenantId, String meter, Instant from, Instant to, Consumer<RecordedEvent> sink);

  /**
   * One page of the tenant's raw events of one meter whose timestamp is in {@code [from, to)},
   * oldest first: ordered by timestamp, then by id, starting after the event ({@code afterAt},
   * {@code afterId}) that ended the previous page. A keyset page: events appended meanwhile with a
   * later key are found by later pages, never a page's events twice.
   *
   * <p>The default scans the range once per page, keeping only the {@code limit} smallest keys, so
   * it never holds more than a page; stores that can read in order override it.
   *
   * @param afterAt the timestamp of the previous page's last event, or {@code null} for the first
   *     page
   * @param afterId the id of the previous page's last event (ignored for the first page)
   * @param limit at most this many events, at least 1
   */
  default List<RecordedEvent> eventsInTimeOrder(
      TenantId tenantId,
      String meter,
      Instant from,
      Instant to,
      Instant afterAt,
      long afterId,
      int limit) {
    PriorityQueue<RecordedEvent> smallest = new PriorityQueue<>(TIME_ORDER.reversed());
    scan(
        tenantId,
        meter,
        from,
        to,
        e -> {
          Instant at = e.event().timestamp();
          int c = afterAt == null ? 1 : at.compareTo(afterAt);
          if (c > 0 || (c == 0 && e.id() > afterId)) {
            smallest.add(e);
            if (smallest.size() > limit) {
              smallest.poll();
            }
          }
        });
    List<RecordedEvent> page = new ArrayList<>(smallest);
    page.sort(TIME_ORDER);
    return page;
  }

  /** The order of {@link #eventsInTimeOrder}: by timestamp, then by id. */
  Comparator<RecordedEvent> TIME_ORDER =
      Comparator.comparing((RecordedEvent e) -> e.event().timestamp())
          .thenComparingLong(RecordedEvent::id);

  /** The earliest timestamp of the tenant's raw events at or after {@code notBefore}. */
  Optional<Instant> firstEventAt(TenantId tenantId, Instant notBefore);

  /**
   * The tenant's raw events matching {@code filter} with an id below {@code beforeId}, highest id
   * (newest) first.
   */
  List<RecordedEvent> events(TenantId tenantId, EventFilter filter, long beforeId, int limit);

  /** The tenant's rollup marks; {@link TenantMarks#none} if it has none. */
  TenantMarks marks(TenantId tenantId);

  /**
   * The marks of every tenant that ever had an event appended, ordered by tenant id. The one
   * cross-tenant read, used by the rollup job and operator queries.
   */
  List<TenantMarks> tenants();

  /**
   * The tenant's rollup rows of one granularity whose bucket starts in {@code [from, to)}.
   *
   * @param meter only this meter, or {@code null} for all
   * @param dimension only rows of this dimension ({@code ""} for the all-events rows), or {@code
   *     null} for all
   */
  List<Rollup> rollups(
      TenantId tenantId,
      String meter,
      Granularity granularity,
      Instant from,
      Instant to,
      String dimension);

  /**
   * In one transaction, inserts or replaces rollup rows (keyed by tenant, meter, granularity,
   * bucket, dimension and value) and moves the tenant's {@link TenantMarks#rolledUpTo()} forward to
   * {@code rolledUpTo} (never backward). Does nothing for a tenant the store does not know (no
   * event was ever appended, or it was {@link #purge purged} since the rollup job listed it): a
   * purge must not be undone by a job that read the tenant's events just before it. Must serialise
   * with {@link #purge} of the same tenant, so that one of the two runs wholly before the other.
   *
   * @param rows rows of {@code tenantId} only
   */
  void writeRollups(TenantId tenantId, List<Rollup> rows, Instant rolledUpTo);

  /**
   * Deletes the tenant's raw events with a timestamp before {@code before} and moves {@link
   * TenantMarks#rawEventsFrom()} forward to it, in one transaction. The core only passes instants
   * up to the tenant's {@code rolledUpTo}.
   *
   * @return how many events were deleted
   */
  long deleteEvents(TenantId tenantId, Instant before);

  /**
   * Deletes the tenant's rollup rows (both granularities) whose bucket starts before {@code
   * before}.
   *
   * @return how many rows were deleted
   */
  long deleteRollups(TenantId tenantId, Instant before);

  /**
   * Deletes the tenant's idempotency keys recorded before {@code recordedBefore}.
   *
   * @return how many keys were deleted
   */
  long deleteKeys(TenantId tenantId, Instant recordedBefore);

  /**
   * Deletes everything kept for the tenant: raw events, idempotency keys, rollups and its marks,
   * atomically; afterwards the store answers for the tenant as for one it never saw, and {@link
   * #writeRollups} for it does nothing until it appends again. Idempotent. Locks the tenant's marks
   * before its other rows, as {@link #writeRollups} and {@link #deleteEvents} do. The core calls it
   * while holding the rollup job's lease, so no rollup run interleaves with it.
   */
  void purge(TenantId tenantId);

  /**
   * The job leases kept with this store's data, shared by every application instance that shares
   * the store: the rollup job takes its lease here so that one instance at a time runs it, and a
   * purge takes the same lease so that no run interleaves with it. A JDBC store answers {@code
   * JdbcJobLeases} on its own database, an in-memory store {@code InMemoryJobLeases}.
   *
   * @return the same leases on every call
   */
  JobLeases jobLeases();
}
