package dev.tenantkit.examples.sample;

import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh tenants and keys for tests that share one running app, so that no test sees another's files
 * or usage. Their request rate and monthly calls are unlimited: the tests' clock stands still, so a
 * rate bucket would never refill.
 */
final class Callers {
  private static final AtomicInteger NEXT = new AtomicInteger();

  private final Tenancy tenancy;
  private final QuotaEnforcer quotas;

  Callers(Tenancy tenancy, QuotaEnforcer quotas) {
    this.tenancy = tenancy;
    this.quotas = quotas;
  }

  /** A tenant and one of its keys, as an {@code Authorization} header value. */
  record Caller(TenantId tenant, String key) {
    String bearer() {
      return "Bearer " + key;
    }
  }

  /** A new tenant on {@code plan} with a full-access key. */
  Caller tenant(String plan) {
    TenantId id = TenantId.of("t" + NEXT.incrementAndGet() + "-" + plan);
    tenancy.tenants().create(NewTenant.of(id, "Test " + id.value(), plan));
    unlimitedCalls(id);
    return key(id, "*");
  }

  /** Another key of {@code tenant} with exactly these scopes. */
  Caller key(TenantId tenant, String... scopes) {
    String secret =
        tenancy.apiKeys().issue(tenant, new ApiKeyRequest("test", Set.of(scopes), null)).secret();
    return new Caller(tenant, secret);
  }

  /** Lifts the request rate and monthly call limits of a tenant. */
  void unlimitedCalls(TenantId tenant) {
    quotas.admin().setOverride(tenant, PlanCatalog.REQUESTS_PER_MINUTE, LimitSpec.UNLIMITED);
    quotas.admin().setOverride(tenant, PlanCatalog.API_CALLS, LimitSpec.UNLIMITED);
  }
}
