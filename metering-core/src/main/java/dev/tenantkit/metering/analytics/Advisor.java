package dev.tenantkit.metering.analytics;

import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.QuotaStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/** The fixed rules that turn error figures and quota standings into advice. Stateless. */
final class Advisor {
  /** A kind of failure: which statuses it covers, how it is named, and what to do about it. */
  private record Rule(String code, String label, IntPredicate statuses, String advice) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              "rate-limited",
              "429",
              s -> s == 429,
              "consider a higher plan, or spread requests out over time"),
          new Rule(
              "authentication",
              "401",
              s -> s == 401,
              "check API keys: they are missing, mistyped, revoked or expired"),
          new Rule(
              "authorization",
              "403",
              s -> s == 403,
              "check the API keys' scopes and that the tenant is active"),
          new Rule(
              "server-errors",
              "5xx",
              s -> s >= 500 && s <= 599,
              "these are failures of the service, not of the requests; check its logs and status"),
          new Rule(
              "not-found",
              "404",
              s -> s == 404,
              "requests ask for ids or paths that do not exist; check for deleted items and"
                  + " mistyped URLs"),
          new Rule(
              "bad-requests",
              "400",
              s -> s == 400,
              "requests are malformed; each problem response names the field to fix"),
          new Rule(
              "payload-too-large",
              "413",
              s -> s == 413,
              "uploads are over the size limit; split or compress files, or raise the tenant's"
                  + " maximum file size"),
          new Rule(
              "unsupported-media-type",
              "415",
              s -> s == 415,
              "these file types are not allowed for the tenant; check its allowed file types"));

  private Advisor() {}

  /**
   * The recommendations for a period.
   *
   * @param errors all errors of the period (exact)
   * @param byStatus errors per recorded status (exact)
   * @param pairs examined errors per (status, endpoint)
   * @param trend the error rate against the period before
   * @param limits the tenant's limits now
   */
  static List<Recommendation> advise(
      long errors,
      Map<String, BigDecimal> byStatus,
      Map<UsageAnalytics.Pair, Long> pairs,
      ErrorTrend trend,
      List<LimitUsage> limits) {
    record Found(long count, Recommendation recommendation) {}
    List<Found> found = new ArrayList<>();
    for (Rule rule : RULES) {
      long count = 0;
      for (Map.Entry<String, BigDecimal> e : byStatus.entrySet()) {
        if (matches(rule, e.getKey())) {
          count += e.getValue().longValueExact();
        }
      }
      if (count == 0) {
        continue;
      }
      String lead =
          count * 2 > errors
              ? "most errors are " + rule.label()
              : count + " of " + errors + " errors are " + rule.label();
      String endpoint = topEndpoint(rule, pairs);
      String where = endpoint.isEmpty() ? "" : " on " + endpoint;
      found.add(
          new Found(count, new Recommendation(rule.code(), lead + where + ": " + rule.advice())));
    }
    found.sort(
        Comparator.comparingLong(Found::count)
            .reversed()
            .thenComparing(f -> f.recommendation().code()));
    List<Recommendation> out = new ArrayList<>();
    found.forEach(f -> out.add(f.recommendation()));

    for (LimitUsage l : limits) {
      if (l.hard() && !l.unlimited() && l.kind() != LimitKind.RATE && l.remaining() == 0) {
        String message =
            l.kind() == LimitKind.GAUGE
                ? l.name()
                    + ": the limit of "
                    + l.limit()
                    + " is in use; delete what is no longer needed or consider a higher plan"
                : l.name()
                    + ": the limit of "
                    + l.limit()
                    + " is used up until "
                    + l.resetAt()
                    + "; consider a higher plan";
        out.add(new Recommendation("limit-reached", message));
      }
    }
    if (trend.currentRate().compareTo(UsageAnalytics.HIGH_ERROR_RATE) >= 0) {
      out.add(
          new Recommendation(
              "high-error-rate",
              "the error rate is "
                  + percent(trend.currentRate())
                  + " of calls, at or above "
                  + percent(UsageAnalytics.HIGH_ERROR_RATE)
                  + ": look at the patterns above first"));
    }
    if (trend.direction() == ErrorTrend.Direction.UP) {
      out.add(
          new Recommendation(
              "rising-error-rate",
              "the error rate rose from "
                  + percent(trend.previousRate())
                  + " to "
                  + percent(trend.currentRate())
                  + " against the period before; look for a recent change"));
    }
    return out;
  }

  /**
   * A sentence about the highest warning threshold a limit has crossed, or {@code null} when it has
   * crossed none.
   */
  static String warning(QuotaStatus s) {
    List<Integer> crossed = s.thresholdsCrossed();
    if (crossed.isEmpty() || s.unlimited()) {
      return null;
    }
    int highest = crossed.get(crossed.size() - 1);
    String used = s.limitName() + ": " + s.used() + " of " + s.limit() + " used";
    if (s.percentUsed() >= 100) {
      return used
          + ", the limit is reached"
          + (s.hard() ? "; further use is denied" : " (a soft limit: further use is allowed)")
          + (s.resetAt() == null ? "" : " until " + s.resetAt());
    }
    return used + ", past the " + highest + "% warning threshold";
  }

  private static boolean matches(Rule rule, String status) {
    try {
      return rule.statuses().test(Integer.parseInt(status));
    } catch (NumberFormatException e) {
      // A status dimension that is not a number belongs to no rule.
      return false;
    }
  }

  /** The endpoint with the most examined errors of the rule's statuses; ties by name. */
  private static String topEndpoint(Rule rule, Map<UsageAnalytics.Pair, Long> pairs) {
    Map<String, Long> byEndpoint = new LinkedHashMap<>();
    pairs.forEach(
        (pair, n) -> {
          if (matches(rule, pair.status())) {
            byEndpoint.merge(pair.endpoint(), n, Long::sum);
          }
        });
    return byEndpoint.entrySet().stream()
        .min(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .orElse("");
  }

  private static String percent(BigDecimal fraction) {
    return fraction.movePointRight(2).setScale(2, RoundingMode.HALF_UP).toPlainString() + "%";
  }
}
