package dev.tenantkit.examples.sample.web;

import dev.tenantkit.metering.quota.QuotaDecision;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A refusal of the sample app's own that Tenantkit has no exception for (413, 415, 429 from a
 * controller): thrown by controllers and services, answered by {@link ProblemAdvice} as an RFC 9457
 * problem of the same form as Tenantkit's ({@code https://tenantkit.dev/problems/<code>}).
 */
public final class ApiProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Map<String, Object> extensions;
  private final transient Map<String, String> headers;
  private transient QuotaDecision refusal;

  private ApiProblem(
      int status,
      String code,
      String detail,
      Map<String, Object> extensions,
      Map<String, String> headers) {
    super(detail);
    this.status = status;
    this.code = Objects.requireNonNull(code, "code");
    this.extensions = extensions;
    this.headers = headers;
  }

  /**
   * A problem with this status, code and detail, without extensions or headers.
   *
   * @param status a 4xx or 5xx status
   * @param code the problem's stable slug, such as {@code file-too-large}
   * @param detail what was wrong, fit to show the caller
   */
  public static ApiProblem of(int status, String code, String detail) {
    return new ApiProblem(status, code, detail, new LinkedHashMap<>(), new LinkedHashMap<>());
  }

  /** Adds an extension member to the body; returns this problem. */
  public ApiProblem with(String member, Object value) {
    extensions.put(member, value);
    return this;
  }

  /** Adds a response header; returns this problem. */
  public ApiProblem header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /**
   * Marks this problem as the refusal of a limit, so its answer carries that limit's {@code
   * RateLimit-Policy}, {@code RateLimit} and {@code Retry-After} fields; returns this problem.
   */
  public ApiProblem refusedBy(QuotaDecision decision) {
    this.refusal = Objects.requireNonNull(decision, "decision");
    return this;
  }

  /** The refusal this problem answers, or null when it is not a limit's. */
  public QuotaDecision refusal() {
    return refusal;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The problem's stable slug. */
  public String code() {
    return code;
  }

  /** Extension members of the body, in the order added. */
  public Map<String, Object> extensions() {
    return extensions;
  }

  /** Response headers to set, in the order added. */
  public Map<String, String> headers() {
    return headers;
  }
}
