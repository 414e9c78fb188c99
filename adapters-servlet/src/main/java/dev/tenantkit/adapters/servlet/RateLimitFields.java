package dev.tenantkit.adapters.servlet;

import dev.tenantkit.metering.quota.QuotaDecision;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} fields
 * (draft-ietf-httpapi-ratelimit-headers-11) and the {@code Retry-After} seconds of {@link
 * QuotaFilter}'s answers and of {@link QuotaFilter#addRefusalFields}, as the filter's class comment
 * describes them. Stateless.
 */
final class RateLimitFields {
  private RateLimitFields() {}

  /**
   * Sets the rate-limit fields from the decision's report of every limit it consumed ({@link
   * QuotaDecision#limits()}, in the order the limits were given), so no limit is asked again.
   *
   * @param rateLimits the rate limits the filter consumes: the limits listed
   * @param windowSeconds each rate limit's {@code w}, where the catalog's plans agree on one
   */
  static void set(
      HttpServletResponse res,
      QuotaDecision decision,
      List<String> rateLimits,
      Map<String, Long> windowSeconds,
      long nowMillis) {
    List<String> policies = new ArrayList<>();
    List<String> states = new ArrayList<>();
    for (QuotaDecision d : decision.limits()) {
      String limit = d.limitName();
      if (rateLimits.contains(limit) && !d.degraded() && !d.unlimited()) {
        policies.add(policy(d, windowSeconds.get(limit)));
        states.add(state(d, nowMillis));
      }
    }
    if (!decision.allowed() && !rateLimits.contains(decision.limitName())) {
      // Every refusal names its limit, whatever its kind; an allowance's calendar period has no
      // fixed length, so no w.
      policies.add(policy(decision, null));
      states.add(state(decision, nowMillis));
    }
    if (!policies.isEmpty()) {
      res.setHeader("RateLimit-Policy", String.join(", ", policies));
      res.setHeader("RateLimit", String.join(", ", states));
    }
  }

  /**
   * See {@link QuotaFilter#addRefusalFields}.
   *
   * @throws IllegalArgumentException if {@code refusal} allowed the request or was decided by the
   *     failure mode
   */
  static void addRefusal(HttpServletResponse response, QuotaDecision refusal) {
    if (refusal.allowed() || refusal.degraded()) {
      throw new IllegalArgumentException("not a refusal by a limit: " + refusal.message());
    }
    Objects.requireNonNull(response, "response");
    response.addHeader("RateLimit-Policy", policy(refusal, null));
    response.addHeader("RateLimit", state(refusal, 0));
    retryAfterSeconds(refusal).ifPresent(s -> response.setHeader("Retry-After", Long.toString(s)));
  }

  private static String policy(QuotaDecision d, Long windowSeconds) {
    return item(d.limitName())
        + ";q="
        + d.limit()
        + (windowSeconds == null ? "" : ";w=" + windowSeconds);
  }

  /**
   * The {@code RateLimit} item of a decision: {@code r} the units left, {@code t} the seconds
   * within which no more than {@code r} can be used. On a refusal {@code t} is the wait until the
   * refused amount fits, the {@code Retry-After} of the answer (absent when waiting does not help);
   * else the seconds until the next unit (see {@link QuotaDecision#nextUnitAt()}), absent for a
   * gauge.
   */
  private static String state(QuotaDecision d, long nowMillis) {
    String s = item(d.limitName()) + ";r=" + d.remaining();
    if (!d.allowed()) {
      OptionalLong t = retryAfterSeconds(d);
      return t.isPresent() ? s + ";t=" + t.getAsLong() : s;
    }
    Optional<Instant> next = d.nextUnitAt();
    if (next.isPresent()) {
      long ms = Math.max(0, next.get().toEpochMilli() - nowMillis);
      s += ";t=" + (ms + 999) / 1000;
    }
    return s;
  }

  /** The {@code Retry-After} of a refusal: whole seconds, rounded up, at least 1. */
  static OptionalLong retryAfterSeconds(QuotaDecision d) {
    Optional<Duration> r = d.retryAfter();
    return r.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ceilSeconds(r.get()));
  }

  /** {@code d} in whole seconds, rounded up, at least 1. */
  static long ceilSeconds(Duration d) {
    long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return Math.max(1, seconds);
  }

  /** A structured-field string; limit names are {@code [a-z][a-z0-9_.]*}, so nothing to escape. */
  private static String item(String limit) {
    return "\"" + limit + "\"";
  }
}
