package dev.tenantkit.tenancy;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tenants get their own value of the {@value #KEY} tag on Tenantkit's metrics. Per-tenant
 * tags are opt-in and capped: every time series a monitoring system keeps costs memory there, and
 * tenants are unbounded, so by default ({@link #none()}) no metric has a tenant tag at all. With
 * {@link #firstSeen(int) firstSeen(n)} the first {@code n} distinct tenants a metric is recorded
 * for keep their id as the tag value for the life of this object, and every later tenant is counted
 * under {@value #OTHER}, which no tenant id can be. Totals over the tag are therefore always
 * complete, and a metric has at most {@code n + 1} tenant values.
 *
 * <p>Share one instance between the components of an application (the usage meter and the quota
 * enforcer, say) so that the same tenants have their own series everywhere. The assignment is first
 * come, first served and lives in memory: after a restart the first tenants seen may be others. An
 * application that wants particular tenants tagged sets a cap above its number of tenants and
 * narrows the tag in its registry (with Micrometer, a {@code MeterFilter.replaceTagValues} that
 * maps every other tenant to {@value #OTHER}).
 *
 * <p>Thread-safe; {@link #valueOf} takes no lock once a tenant has its value or the cap is reached.
 */
public final class TenantTags {
  /** The tag key: {@value}. */
  public static final String KEY = "tenant";

  /**
   * The tag value of tenants past the cap: {@value}, which the rules of {@link TenantId} exclude.
   */
  public static final String OTHER = "(other)";

  /** The largest cap {@link #firstSeen} accepts. */
  public static final int MAX_TENANTS = 10_000;

  private static final TenantTags NONE = new TenantTags(0);

  private final int max;
  private final Set<TenantId> tagged = ConcurrentHashMap.newKeySet();

  /** Set once every place is taken; read without a lock by {@link #valueOf}. */
  private volatile boolean full;

  private TenantTags(int max) {
    this.max = max;
  }

  /** No tenant tags: metrics carry no {@value #KEY} tag. The default everywhere. */
  public static TenantTags none() {
    return NONE;
  }

  /**
   * Tenant tags for the first {@code maxTenants} distinct tenants, {@value #OTHER} for the rest.
   *
   * @param maxTenants how many tenants get their own tag value, 1 to {@value #MAX_TENANTS}
   * @throws InvalidInputException if {@code maxTenants} is out of that range
   */
  public static TenantTags firstSeen(int maxTenants) {
    if (maxTenants < 1 || maxTenants > MAX_TENANTS) {
      throw new InvalidInputException(
          "maxTenants", "must be 1 to " + MAX_TENANTS + ", was " + maxTenants);
    }
    return new TenantTags(maxTenants);
  }

  /** Whether metrics carry a tenant tag at all. */
  public boolean enabled() {
    return max > 0;
  }

  /** How many tenants may have their own tag value; 0 for {@link #none()}. */
  public int maxTenants() {
    return max;
  }

  /** How many tenants have their own tag value so far. */
  public int taggedTenants() {
    return tagged.size();
  }

  /**
   * The tag value of {@code tenant}: its id if it has its own, else {@value #OTHER}. The first call
   * for a tenant while places are left gives it its own value, for good.
   *
   * @throws IllegalStateException if tenant tags are off ({@link #none()}); callers check {@link
   *     #enabled()} and add no tag instead
   */
  public String valueOf(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    if (max == 0) {
      throw new IllegalStateException("tenant tags are off");
    }
    if (tagged.contains(tenant)) {
      return tenant.value();
    }
    if (full) {
      return OTHER;
    }
    return claim(tenant);
  }

  /** The rare path: at most {@code max} tenants ever get here and find a place. */
  private synchronized String claim(TenantId tenant) {
    if (tagged.contains(tenant)) {
      return tenant.value();
    }
    if (tagged.size() >= max) {
      full = true;
      return OTHER;
    }
    tagged.add(tenant);
    full = tagged.size() >= max;
    return tenant.value();
  }

  @Override
  public String toString() {
    return max == 0 ? "TenantTags[none]" : "TenantTags[firstSeen=" + max + "]";
  }
}
