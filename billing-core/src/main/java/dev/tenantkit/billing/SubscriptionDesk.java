package dev.tenantkit.billing;

import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.run.BillingRunner;
import dev.tenantkit.billing.run.BillingSummary;
import dev.tenantkit.billing.run.UpcomingInvoice;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.Versioned;
import dev.tenantkit.billing.subscription.CancelTiming;
import dev.tenantkit.billing.subscription.PlanChange;
import dev.tenantkit.billing.subscription.Proration;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.billing.subscription.SubscriptionStatus;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantService;
import dev.tenantkit.tenancy.TenantkitException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant's side of {@link Billing}: its subscription, plan changes, the current period's
 * summary and upcoming invoice. Every read takes the stored subscription {@link Subscription#asOf
 * as of} the clock's instant, so a plan change that was pending until then is in force; a plan
 * change stores that materialized subscription. Thread-safe.
 */
final class SubscriptionDesk {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionDesk.class);
  private static final String UPCOMING_ID = "upcoming";

  private final BillingStore store;
  private final PlanVersionStore plans;
  private final PriceCatalog catalog;
  private final BillingRunner runner;
  private final InstantSource clock;
  private final TenantService tenants;

  SubscriptionDesk(
      BillingStore store,
      PlanVersionStore plans,
      PriceCatalog catalog,
      BillingRunner runner,
      InstantSource clock,
      TenantService tenants) {
    this.store = store;
    this.plans = plans;
    this.catalog = catalog;
    this.runner = runner;
    this.clock = clock;
    this.tenants = tenants;
  }

  /** {@link Billing#subscribe}. */
  Subscription subscribe(TenantId tenant, String planId) {
    PlanVersion version = latest(planId);
    if (store.subscription(tenant).isPresent()) {
      throw new ConflictException("tenant '" + tenant + "' already has a subscription");
    }
    Subscription s =
        Subscription.builder(tenant, version, clock.instant()).currency(version.currency()).build();
    return store.insertSubscription(s).value();
  }

  /** {@link Billing#subscription}. */
  Optional<Subscription> subscription(TenantId tenant) {
    Instant now = clock.instant();
    return store.subscription(tenant).map(v -> v.value().asOf(now));
  }

  /** {@link Billing#previewChange}. */
  PlanChange previewChange(TenantId tenant, String planId, boolean now) {
    Instant at = clock.instant();
    return change(requireSubscription(tenant).value().asOf(at), planId, now, at);
  }

  /** {@link Billing#changePlan}. */
  PlanChange changePlan(TenantId tenant, String planId, boolean now) {
    Instant at = clock.instant();
    Versioned<Subscription> current = requireSubscription(tenant);
    // The change is made to (and stores) the subscription in force now, with any pending change
    // whose time has come applied, under the stored version's optimistic check.
    PlanChange change = change(current.value().asOf(at), planId, now, at);
    if (store.updateSubscription(change.subscription(), current.version()).isEmpty()) {
      throw new ConflictException("the subscription of '" + tenant + "' changed meanwhile");
    }
    LOG.info(
        "tenant {} changed plan: {} -> {} ({})", tenant, change.from(), change.to(), change.kind());
    syncTenant(tenant, change.to().planId());
    return change;
  }

  /**
   * Sets the tenant's own plan to the one chosen, unless it is on it already (so a change made
   * because the tenant's plan changed writes nothing back: no loop). A pending downgrade sets it at
   * once too: the tenant record names the plan chosen, the subscription when it takes effect.
   */
  private void syncTenant(TenantId tenant, String planId) {
    if (tenants == null) {
      return;
    }
    try {
      if (!tenants.get(tenant).planId().equals(planId)) {
        tenants.changePlan(tenant, planId);
      }
    } catch (TenantkitException e) {
      LOG.warn("tenant {}'s own plan was not set to {}: {}", tenant, planId, e.getMessage());
    }
  }

  /** {@link Billing#summary}. */
  BillingSummary summary(TenantId tenant) {
    Instant now = clock.instant();
    Subscription s = requireSubscription(tenant).value().asOf(now);
    version(s);
    return runner.summary(s, now);
  }

  /** {@link Billing#upcoming}. */
  UpcomingInvoice upcoming(TenantId tenant) {
    Instant now = clock.instant();
    Subscription s = requireSubscription(tenant).value().asOf(now);
    version(s);
    return runner.upcoming(UPCOMING_ID, s, now);
  }

  private PlanChange change(Subscription s, String planId, boolean now, Instant at) {
    PlanVersion from = version(s);
    return Proration.change(s, from, latest(planId), at, now);
  }

  private PlanVersion version(Subscription s) {
    return plans
        .get(s.planId(), s.planVersion())
        .orElseThrow(
            () ->
                new NotFoundException(
                    "plan version " + s.planId() + " v" + s.planVersion() + " is not published"));
  }

  private PlanVersion latest(String planId) {
    if (planId == null || planId.isBlank()) {
      throw new InvalidInputException("plan", "is required");
    }
    if (catalog.prices(planId).isEmpty()) {
      // A plan named in a request: a bad input (400), not a missing resource.
      throw new InvalidInputException("plan", "no plan '" + planId + "' in the price catalog");
    }
    return plans
        .latest(planId)
        .orElseThrow(() -> new NotFoundException("plan '" + planId + "' has no published version"));
  }

  /** {@link Billing#cancel}. */
  Optional<Subscription> cancel(TenantId tenant, CancelTiming timing) {
    Instant at = clock.instant();
    Optional<Versioned<Subscription>> current = store.subscription(tenant);
    if (current.isEmpty()
        || current.get().value().status(at) == SubscriptionStatus.CANCELED
        || current.get().value().endsAt() != null) {
      return Optional.empty();
    }
    Subscription cancelled = current.get().value().asOf(at).cancel(timing, at);
    if (store.updateSubscription(cancelled, current.get().version()).isEmpty()) {
      throw new ConflictException("the subscription of '" + tenant + "' changed meanwhile");
    }
    LOG.info(
        "tenant {} cancelled its subscription ({}), ending {}", tenant, timing, cancelled.endsAt());
    return Optional.of(cancelled);
  }

  Versioned<Subscription> requireSubscription(TenantId tenant) {
    return store
        .subscription(tenant)
        .orElseThrow(() -> new NotFoundException("tenant '" + tenant + "' has no subscription"));
  }
}
