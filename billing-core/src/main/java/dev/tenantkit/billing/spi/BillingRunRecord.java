package dev.tenantkit.billing.spi;

import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.time.Instant;

/**
 * The stored progress of one billing run, readable from every instance sharing the store: how far
 * it got (the last tenant billed, its cursor) and what it did. A run that stopped (a crash, a lost
 * lease, a failure) is resumed after its cursor. Immutable.
 *
 * @param id the run's id, 1 to 64 characters
 * @param period what the run bills, such as {@code 2026-03}
 * @param status running, completed or failed
 * @param owner the instance that last worked on it
 * @param tenantsDone tenants billed (or found billed) so far, across resumptions
 * @param invoicesCreated drafts this run stored (not those found under their key)
 * @param cursor the last tenant done, or {@code null} before the first
 * @param startedAt when the run was first started
 * @param finishedAt when it completed or failed, or {@code null} while running
 * @param failure why it failed, or {@code null}
 */
public record BillingRunRecord(
    String id,
    String period,
    Status status,
    String owner,
    long tenantsDone,
    long invoicesCreated,
    TenantId cursor,
    Instant startedAt,
    Instant finishedAt,
    String failure) {

  /** Where a run stands. */
  public enum Status {
    /** Working, or stopped without finishing (a crash, a lost lease): resumable. */
    RUNNING,
    /** Every subscription was billed. */
    COMPLETED,
    /** A tenant could not be billed: resumable at that tenant once fixed. */
    FAILED
  }

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if a required component is missing, the id or period too long, or
   *     a count negative
   */
  public BillingRunRecord {
    if (id == null
        || id.isEmpty()
        || id.length() > 64
        || period == null
        || period.isEmpty()
        || period.length() > 16
        || status == null
        || owner == null
        || startedAt == null) {
      throw new InvalidInputException("run", "an id, a period, a status, an owner and a start");
    }
    if (tenantsDone < 0 || invoicesCreated < 0) {
      throw new InvalidInputException("run", "counts are not negative");
    }
  }

  /** A new run of {@code period}, started at {@code at} by {@code owner}. */
  public static BillingRunRecord started(String id, String period, String owner, Instant at) {
    return new BillingRunRecord(id, period, Status.RUNNING, owner, 0, 0, null, at, null, null);
  }

  /** This run after one more tenant, {@code tenant}, of which {@code created} invoices are new. */
  public BillingRunRecord after(TenantId tenant, int created) {
    return new BillingRunRecord(
        id,
        period,
        status,
        owner,
        tenantsDone + 1,
        invoicesCreated + created,
        tenant,
        startedAt,
        finishedAt,
        failure);
  }

  /** This run taken up by {@code by}: running again, failure cleared. */
  public BillingRunRecord resumedBy(String by) {
    return new BillingRunRecord(
        id,
        period,
        Status.RUNNING,
        by,
        tenantsDone,
        invoicesCreated,
        cursor,
        startedAt,
        null,
        null);
  }

  /** This run ended at {@code at}: completed, or failed when {@code why} is not null. */
  public BillingRunRecord finished(Instant at, String why) {
    return new BillingRunRecord(
        id,
        period,
        why == null ? Status.COMPLETED : Status.FAILED,
        owner,
        tenantsDone,
        invoicesCreated,
        cursor,
        startedAt,
        at,
        why);
  }
}
