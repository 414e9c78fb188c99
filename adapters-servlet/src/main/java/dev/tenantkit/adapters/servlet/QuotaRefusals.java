package dev.tenantkit.adapters.servlet;

import dev.tenantkit.adapters.servlet.internal.UnreadBody;
import dev.tenantkit.metering.quota.QuotaDecision;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link QuotaFilter}'s refusals: 429 {@code quota-exceeded} and 503 {@code
 * quota-store-unavailable}, each with {@code Retry-After} and its problem body. Stateless.
 */
final class QuotaRefusals {
  // The filter's category, where these lines have always been logged.
  private static final Logger LOG = LoggerFactory.getLogger(QuotaFilter.class);

  private QuotaRefusals() {}

  /**
   * Answers 429 for a refusal by a limit: {@code Retry-After} when waiting helps, and the problem
   * extensions {@code limit}, {@code limitValue}, {@code remaining} and {@code resetAt}. The
   * rate-limit fields are set already.
   *
   * @throws IOException if the answer cannot be written
   */
  static void exceeded(HttpServletRequest request, HttpServletResponse response, QuotaDecision d)
      throws IOException {
    RateLimitFields.retryAfterSeconds(d)
        .ifPresent(s -> response.setHeader("Retry-After", Long.toString(s)));
    Map<String, Object> extensions = new LinkedHashMap<>();
    extensions.put("limit", d.limitName());
    extensions.put("limitValue", d.unlimited() ? null : d.limit());
    extensions.put("remaining", d.remaining());
    extensions.put("resetAt", d.resetAt().map(Instant::toString).orElse(null));
    LOG.debug("refused {} {}: {}", request.getMethod(), request.getRequestURI(), d.message());
    UnreadBody.closeConnectionIfAny(request, response);
    Problems.write(request, response, 429, Problems.QUOTA_EXCEEDED, d.message(), extensions);
  }

  /**
   * Answers 503 for a refusal by the failure mode (the quota store is unreachable, quotas fail
   * closed), with {@code Retry-After: retryAfterSeconds} and the extension {@code limit}.
   *
   * @throws IOException if the answer cannot be written
   */
  static void unavailable(
      HttpServletRequest request,
      HttpServletResponse response,
      QuotaDecision d,
      long retryAfterSeconds)
      throws IOException {
    response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
    UnreadBody.closeConnectionIfAny(request, response);
    Problems.write(
        request,
        response,
        503,
        Problems.QUOTA_STORE_UNAVAILABLE,
        d.message(),
        Map.of("limit", d.limitName()));
  }
}
