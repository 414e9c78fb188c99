package dev.tenantkit.metering.quota;

import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.util.Map;

/**
 * Enforces each tenant's plan limits: allowances per day or month, request rates, and gauges of
 * things in use. Build one with {@link Quotas#builder()}.
 *
 * <p>Consuming never admits more than a hard limit: with many threads, and with several application
 * instances sharing one store, the sum admitted in a period is at most the limit (allowances,
 * gauges), and a rate bucket never goes below empty. Denied requests consume nothing.
 *
 * <p>Decisions ({@link #check}, {@link #tryConsume}, {@link #tryConsumeAll}) do not throw when the
 * store is unreachable; they follow the configured {@link FailureMode} and say so with {@link
 * QuotaDecision.Reason#STORE_UNAVAILABLE}. Administration (status, overrides, purge, the catalog)
 * is on {@link #admin()}. Implementations are thread-safe.
 */
public interface QuotaEnforcer {

  /**
   * Whether {@code amount} of the limit could be consumed now, without consuming it.
   *
   * @throws InvalidInputException if the limit is not in the catalog or the amount is negative
   * @throws UnknownPlanException if the tenant's plan is not in the catalog
   */
  QuotaDecision check(TenantId tenant, String limit, long amount);

  /**
   * Consumes {@code amount} of the limit if it fits: allowed decisions are counted, denied ones
   * change nothing. For a soft limit the amount is always counted and the decision warns when usage
   * is over the limit.
   *
   * @throws InvalidInputException if the limit is not in the catalog or the amount is negative
   * @throws UnknownPlanException if the tenant's plan is not in the catalog
   */
  QuotaDecision tryConsume(TenantId tenant, String limit, long amount);

  /**
   * Consumes several limits together, all or none: if any hard limit would be passed, nothing is
   * consumed and the decision names that limit. Otherwise every amount is counted and the decision
   * names the limit with the least left relative to its size (a soft limit that was passed takes
   * precedence, so its warning is not lost). Soft rate limits are taken after the others and never
   * cause a denial.
   *
   * @param amounts limit name to amount, at least one entry
   * @throws InvalidInputException if the map is empty, a limit is not in the catalog or an amount
   *     is negative
   * @throws UnknownPlanException if the tenant's plan is not in the catalog
   */
  QuotaDecision tryConsumeAll(TenantId tenant, Map<String, Long> amounts);

  /**
   * Gives back {@code amount} of a gauge, such as bytes of a deleted file; usage never goes below
   * zero.
   *
   * @throws InvalidInputException if the limit is not a gauge of the catalog or the amount is
   *     negative
   * @throws QuotaUnavailableException if the store cannot be reached; nothing was released
   */
  void release(TenantId tenant, String gaugeLimit, long amount);

  /**
   * The administration of this enforcer: status, overrides, purge and the catalog. Kept apart from
   * the decisions so that code that only decides sees only the decisions, as Caffeine keeps a
   * cache's tuning on {@code policy()}.
   */
  QuotaAdmin admin();
}
