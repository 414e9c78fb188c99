package dev.tenantkit.adapters.servlet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to a refused request before it is written: status, the code from which {@link
 * Problems} derives the type URI and title, the detail, the extension members and the response
 * headers. {@link Problems#forFailure(Throwable)} makes one for a failure; {@link
 * Problems#write(jakarta.servlet.http.HttpServletRequest, jakarta.servlet.http.HttpServletResponse,
 * Problem)} writes it. Immutable and thread-safe.
 *
 * @param status the HTTP status, 400 to 599
 * @param code the stable slug of the problem, such as {@code tenant-not-found}
 * @param detail what went wrong in this occurrence, fit to show the caller
 * @param extensions further members of the body, in order (values may be null)
 * @param headers response headers to set with the problem, such as {@code Allow}
 */
public record Problem(
    int status,
    String code,
    String detail,
    Map<String, Object> extensions,
    Map<String, String> headers) {

  /**
   * Checks the status and copies the maps, keeping their order.
   *
   * @throws IllegalArgumentException if the status is not an error status
   * @throws NullPointerException if the code or a map is null
   */
  public Problem {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a problem has a 4xx or 5xx status, not " + status);
    }
    Objects.requireNonNull(code, "code");
    extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** The type URI of the problem: {@value Problems#TYPE_BASE} followed by the code. */
  public String type() {
    return Problems.TYPE_BASE + code;
  }

  /** The title of the problem: the code in words, the same for every occurrence. */
  public String title() {
    return Problems.title(code);
  }
}
