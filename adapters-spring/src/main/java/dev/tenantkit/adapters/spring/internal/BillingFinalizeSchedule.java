package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.billing.Billing;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;

/**
 * Runs {@link Billing#finalizeDue()} every {@code tenantkit.billing.finalize.interval} on a {@link
 * TaskScheduler} bean of the application, from the context's start until its stop: drafts of
 * billing runs whose grace period is over are re-billed, finalized and numbered. The first pass is
 * one interval after start. A failed pass is logged, and the next one finalizes what is left.
 * Thread-safe.
 */
public final class BillingFinalizeSchedule extends FixedDelaySchedule {
  private static final Logger LOG = LoggerFactory.getLogger(BillingFinalizeSchedule.class);

  private final Billing billing;

  /**
   * @param billing the billing facade whose due drafts are finalized
   * @param scheduler where the passes run
   * @param interval time between two passes, positive
   * @throws IllegalArgumentException if the interval is not positive
   */
  public BillingFinalizeSchedule(Billing billing, TaskScheduler scheduler, Duration interval) {
    super(scheduler, interval, "finalize");
    this.billing = Objects.requireNonNull(billing, "billing");
  }

  /** Runs one pass, logging instead of throwing so the schedule goes on. */
  @Override
  void runOnce() {
    try {
      int finalized = billing.finalizeDue();
      if (finalized > 0) {
        LOG.info("billing: finalized {} invoice(s) whose grace period is over", finalized);
      }
    } catch (RuntimeException e) {
      LOG.warn("finalizing due invoices failed; the next pass finalizes what is left", e);
    }
  }
}
