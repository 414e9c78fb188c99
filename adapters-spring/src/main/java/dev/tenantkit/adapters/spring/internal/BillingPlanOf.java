package dev.tenantkit.adapters.spring.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.tenantkit.billing.Billing;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantService;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The quota enforcer's {@code planOf} with billing on: the plan of the tenant's subscription in
 * force now ({@link Billing#planInForce}), or the tenant's own plan when it has no subscription.
 * Quota decisions happen on every request, so answers are cached for {@link #TTL} (a plan change
 * reaches quotas within that time, at once on this instance when {@link #invalidate} is called);
 * the cache holds at most {@value #MAX_TENANTS} tenants. Thread-safe. {@link #apply} throws what
 * {@link TenantService#get} throws for an unknown tenant.
 */
public final class BillingPlanOf implements Function<TenantId, String> {
  /** How long a tenant's plan is cached. */
  public static final Duration TTL = Duration.ofSeconds(5);

  private static final long MAX_TENANTS = 100_000;

  private final LoadingCache<TenantId, String> cache;

  /**
   * A cached plan lookup.
   *
   * @param billing the billing facade, looked up on first use (it is built after the quotas)
   * @param tenants the tenants, for those without a subscription
   * @param clock the clock the cache's expiry reads
   */
  public BillingPlanOf(Supplier<Billing> billing, TenantService tenants, InstantSource clock) {
    this.cache =
        Caffeine.newBuilder()
            .expireAfterWrite(TTL)
            .maximumSize(MAX_TENANTS)
            .ticker(() -> clock.instant().toEpochMilli() * 1_000_000L)
            .build(
                tenant -> {
                  Billing b = billing.get();
                  Optional<String> billed = b == null ? Optional.empty() : b.planInForce(tenant);
                  return billed.orElseGet(() -> tenants.get(tenant).planId());
                });
  }

  @Override
  public String apply(TenantId tenant) {
    return cache.get(tenant);
  }

  /** Forgets the tenant's cached plan, so the next decision reads it again. */
  public void invalidate(TenantId tenant) {
    cache.invalidate(tenant);
  }
}
