package dev.tenantkit.metering.analytics;

import java.util.Objects;

/**
 * One plain piece of advice drawn from a tenant's errors and quotas, such as "most errors are 429
 * on /api/files: consider a higher plan". Immutable.
 *
 * @param code a stable slug of the rule that produced it, for programs: {@code rate-limited},
 *     {@code authentication}, {@code authorization}, {@code server-errors}, {@code not-found},
 *     {@code bad-requests}, {@code payload-too-large}, {@code unsupported-media-type}, {@code
 *     limit-reached}, {@code high-error-rate} or {@code rising-error-rate}
 * @param message the advice in one sentence, for people
 */
public record Recommendation(String code, String message) {
  /** Checks that both components are present. */
  public Recommendation {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}
