package dev.tenantkit.adapters.servlet.internal;

import java.util.Map;

/**
 * A 4xx answer that is about HTTP itself (size, media type, route, method, credential) rather than
 * a Tenantkit rule; thrown inside the admin API and written as a problem.
 */
public final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Map<String, String> headers;

  HttpProblem(int status, String code, String detail) {
    this(status, code, detail, Map.of());
  }

  HttpProblem(int status, String code, String detail, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The problem code. */
  public String code() {
    return code;
  }

  /** Headers to send with the problem, such as {@code Allow}. */
  public Map<String, String> headers() {
    return headers;
  }
}
