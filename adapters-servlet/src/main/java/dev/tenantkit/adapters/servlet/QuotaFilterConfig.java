package dev.tenantkit.adapters.servlet;

import dev.tenantkit.adapters.servlet.internal.FilterInit;
import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.tenancy.config.InvalidSettingException;
import dev.tenantkit.tenancy.config.Settings;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link QuotaFilter} runs with, resolved once against the enforcer's catalog (which limits
 * consumed are rate limits, and their {@code w}), and the configuration that produces it from
 * settings and init-params. Immutable, so one volatile write of it publishes it whole.
 */
final class QuotaFilterConfig {
  final QuotaEnforcer enforcer;

  /** What each request consumes, in the order given. */
  final Map<String, Long> amounts;

  /** The limits of {@link #amounts} that are rate limits, which get rate-limit fields. */
  final List<String> rateLimits;

  /** Each rate limit's {@code w}, where every plan of the catalog agrees on it. */
  final Map<String, Long> windowSeconds;

  final InstantSource clock;
  final long unavailableRetryAfterSeconds;

  QuotaFilterConfig(
      QuotaEnforcer enforcer,
      Map<String, Long> amounts,
      InstantSource clock,
      Duration unavailableRetryAfter) {
    this.enforcer = enforcer;
    this.amounts = amounts;
    this.clock = clock;
    this.unavailableRetryAfterSeconds = RateLimitFields.ceilSeconds(unavailableRetryAfter);
    PlanCatalog catalog = enforcer.admin().catalog();
    List<String> rates = new ArrayList<>();
    Map<String, Long> windows = new HashMap<>();
    for (String limit : amounts.keySet()) {
      if (kind(catalog, limit) == LimitKind.RATE) {
        rates.add(limit);
        window(catalog, limit).ifPresent(w -> windows.put(limit, w));
      }
    }
    this.rateLimits = List.copyOf(rates);
    this.windowSeconds = Map.copyOf(windows);
  }

  /**
   * The configuration of a filter made with the no-arg constructor: the enforcer from the context
   * attribute {@value QuotaFilter#ENFORCER_ATTRIBUTE}, the rest from the init-params.
   *
   * @throws ServletException if the context attribute does not hold a {@link QuotaEnforcer}, or an
   *     init-param is unknown or malformed (the message names it), or the catalog lacks a limit to
   *     consume
   */
  static QuotaFilterConfig fromInit(FilterConfig filterConfig) throws ServletException {
    QuotaEnforcer e =
        FilterInit.attribute(
            filterConfig, "QuotaFilter", QuotaFilter.ENFORCER_ATTRIBUTE, QuotaEnforcer.class);
    Settings params = FilterInit.initParams(filterConfig);
    QuotaFilter.Builder b = QuotaFilter.builder(e);
    Map<String, Long> consumed =
        FilterInit.configure(filterConfig, "QuotaFilter", () -> b.settings(params).amounts());
    return b.config(consumed);
  }

  /**
   * Applies {@code settings} to {@code builder}; see {@link QuotaFilter.Builder#settings}.
   *
   * @throws InvalidSettingException naming the setting, if one is unknown or its value is refused
   */
  static void apply(Settings settings, QuotaFilter.Builder builder) {
    settings.requireOnly(
        Set.of(QuotaFilter.CONSUME_PARAM, QuotaFilter.UNAVAILABLE_RETRY_AFTER_PARAM));
    settings
        .rules(QuotaFilter.CONSUME_PARAM, "limit=amount")
        .forEach(
            (limit, amount) ->
                settings.check(
                    QuotaFilter.CONSUME_PARAM,
                    () -> builder.consume(limit, wholeAmount(limit, amount))));
    settings
        .duration(QuotaFilter.UNAVAILABLE_RETRY_AFTER_PARAM)
        .ifPresent(
            d ->
                settings.check(
                    QuotaFilter.UNAVAILABLE_RETRY_AFTER_PARAM,
                    () -> builder.unavailableRetryAfter(d)));
  }

  private static long wholeAmount(String limit, String amount) {
    try {
      return Long.parseLong(amount.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "a request consumes a whole number of '" + limit + "', not '" + amount + "'", e);
    }
  }

  /** The kind of {@code limit} in the first plan of {@code catalog} that has it, or null. */
  static LimitKind kind(PlanCatalog catalog, String limit) {
    for (Plan plan : catalog.plans().values()) {
      Optional<LimitSpec> spec = plan.limit(limit);
      if (spec.isPresent()) {
        return spec.get().kind();
      }
    }
    return null;
  }

  /**
   * The seconds in which an empty bucket of the rate limit fills, if every plan that limits it
   * agrees. An override changes the capacity but not this time (see {@link
   * dev.tenantkit.metering.quota.QuotaAdmin#setOverride}).
   */
  private static Optional<Long> window(PlanCatalog catalog, String limit) {
    Long window = null;
    for (Plan plan : catalog.plans().values()) {
      Optional<LimitSpec> spec = plan.limit(limit);
      if (spec.isEmpty() || spec.get().isUnlimited()) {
        continue;
      }
      long nanos = spec.get().tokenIntervalNanos() * spec.get().limit();
      long seconds = (nanos + 999_999_999L) / 1_000_000_000L;
      if (window != null && window.longValue() != seconds) {
        return Optional.empty();
      }
      window = seconds;
    }
    return Optional.ofNullable(window);
  }
}
