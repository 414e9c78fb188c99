package dev.tenantkit.metering.analytics;

import dev.tenantkit.metering.TimeRange;
import java.util.List;
import java.util.Objects;

/**
 * What a tenant's errors over a period say: the recurring failures, the trend of the error rate and
 * what to do about them. Immutable.
 *
 * @param range the period
 * @param errors how many calls failed (exact, from the {@code errors} meter)
 * @param examinedErrors how many raw error events the patterns were drawn from: equal to {@code
 *     errors} unless part of the period is older than the raw-event retention or more than {@value
 *     UsageAnalytics#MAX_EXAMINED_ERRORS} errors were recorded (then the newest ones are examined)
 * @param patterns the most frequent (status, endpoint) pairs, at most {@value
 *     UsageAnalytics#MAX_PATTERNS}, most frequent first
 * @param trend the error rate against the period before
 * @param recommendations advice, the rules that concern the most errors first; empty when there is
 *     nothing to advise
 */
public record ErrorAnalysis(
    TimeRange range,
    long errors,
    long examinedErrors,
    List<ErrorPattern> patterns,
    ErrorTrend trend,
    List<Recommendation> recommendations) {
  /** Checks the components and copies the lists. */
  public ErrorAnalysis {
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(trend, "trend");
    patterns = List.copyOf(patterns);
    recommendations = List.copyOf(recommendations);
  }
}
