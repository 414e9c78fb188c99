package dev.tenantkit.adapters.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.adapters.servlet.internal.HttpProblem;
import dev.tenantkit.adapters.servlet.internal.UnreadBody;
import dev.tenantkit.metering.RejectionReason;
import dev.tenantkit.metering.UsageMeterClosedException;
import dev.tenantkit.metering.UsageRejectedException;
import dev.tenantkit.metering.ingest.IngestLimitException;
import dev.tenantkit.metering.ingest.UsageIngestor;
import dev.tenantkit.metering.quota.QuotaUnavailableException;
import dev.tenantkit.metering.quota.UnknownPlanException;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.MissingScopeException;
import dev.tenantkit.tenancy.NoTenantBoundException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.PurgeFailedException;
import dev.tenantkit.tenancy.StateException;
import dev.tenantkit.tenancy.TenantNotFoundException;
import dev.tenantkit.tenancy.TenantStateException;
import dev.tenantkit.tenancy.TenantkitException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes RFC 9457 problem details ({@value #MEDIA_TYPE}) and decides, in this one place, how a
 * failure is answered: {@link #forFailure(Throwable)} gives the status, code (and so type and
 * title), fields and headers for any throwable that reaches a Tenantkit filter or route. A body has
 * the members {@code type} ({@value #TYPE_BASE} followed by the error's code), {@code title},
 * {@code status}, {@code detail}, {@code instance} (the request path) and the extension {@code
 * code}, plus extensions such as {@code field} for invalid input.
 *
 * <p>The type URIs, codes and statuses are public contract; {@code docs/servlet.md} lists them.
 * Stateless and thread-safe.
 */
public final class Problems {
  /** The longest {@code detail} a problem carries, in UTF-16 characters: {@value}. */
  public static final int MAX_DETAIL = 500;

  /** The base of every problem type URI; the error's code follows it. */
  public static final String TYPE_BASE = "https://tenantkit.dev/problems/";

  /** The media type of a problem body. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /**
   * The request attribute in which {@link #write} leaves the code of the problem it wrote, so that
   * an outer filter (such as {@link UsageMeteringFilter}) can tell which problem a request got.
   */
  public static final String CODE_ATTRIBUTE = "dev.tenantkit.adapters.servlet.ProblemCode";

  /** 429: a hard quota or rate limit is used up ({@link QuotaFilter}). */
  public static final String QUOTA_EXCEEDED = "quota-exceeded";

  /** 503: the quota store is unreachable and the enforcer fails closed. */
  public static final String QUOTA_STORE_UNAVAILABLE = "quota-store-unavailable";

  /**
   * 503: the usage meter is closed because the application is shutting down. The code is that of an
   * unavailable usage store, which callers already retry.
   */
  public static final String USAGE_METER_CLOSED = "store-unavailable";

  /**
   * 503: the database cannot be reached. The same code as an unavailable usage store, which callers
   * already retry.
   */
  public static final String STORE_UNAVAILABLE = "store-unavailable";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> STANDARD_MEMBERS =
      Set.of("type", "title", "status", "detail", "instance", "code");

  private Problems() {}

  /** The type URI of the problem with {@code code}, such as {@code tenant-not-found}. */
  public static URI type(String code) {
    return URI.create(TYPE_BASE + code);
  }

  /** The title of the problem with {@code code}: the code in words, the same for every instance. */
  public static String title(String code) {
    String words = code.replace('-', ' ');
    return words.isEmpty()
        ? words
        : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
  }

  /**
   * The HTTP status for {@code e}: 400 for {@link InvalidInputException} (including invalid tenant
   * ids), 404 for {@link TenantNotFoundException} and {@link NotFoundException}, 409 for {@link
   * ConflictException} and every {@link StateException} (such as {@link TenantStateException} and
   * billing's invalid invoice state), 403 for {@link MissingScopeException}, 401 for {@link
   * NoTenantBoundException}, 413 for {@link IngestLimitException}, 503 for {@link
   * QuotaUnavailableException}, {@link PurgeFailedException} and for a {@link
   * UsageRejectedException} because the usage store failed or the buffer is full, 409 for one
   * because of an idempotency conflict, 500 for {@link UnknownPlanException} (the tenant's plan is
   * missing from the plan catalog: a configuration error of the platform, not of the caller) and
   * 400 for any other Tenantkit exception.
   */
  public static int status(TenantkitException e) {
    if (e instanceof InvalidInputException) {
      return 400;
    }
    if (e instanceof QuotaUnavailableException || e instanceof PurgeFailedException) {
      return 503;
    }
    if (e instanceof UnknownPlanException) {
      return 500;
    }
    if (e instanceof UsageRejectedException rejected) {
      return rejectionStatus(rejected.reason().code());
    }
    if (e instanceof TenantNotFoundException || e instanceof NotFoundException) {
      return 404;
    }
    if (e instanceof ConflictException || e instanceof StateException) {
      return 409;
    }
    if (e instanceof MissingScopeException) {
      return 403;
    }
    if (e instanceof NoTenantBoundException) {
      return 401;
    }
    if (e instanceof IngestLimitException) {
      return 413;
    }
    return 400;
  }

  /**
   * The HTTP status for a usage event rejected with the code {@code reason}, whether it was
   * recorded in process ({@link UsageRejectedException}) or ingested over HTTP (the answer to a
   * single event): 503 when the usage store failed or the buffer is full (retry later), 409 for an
   * idempotency conflict, 403 for {@link UsageIngestor#SUBJECT_MISMATCH} and {@link
   * UsageIngestor#METER_NOT_INGESTIBLE} (the credential may not write that usage), 400 for any
   * other reason (the event is at fault).
   */
  public static int rejectionStatus(String reason) {
    if (RejectionReason.STORE_UNAVAILABLE.code().equals(reason)
        || RejectionReason.BUFFER_FULL.code().equals(reason)) {
      return 503;
    }
    if (RejectionReason.IDEMPOTENCY_CONFLICT.code().equals(reason)) {
      return 409;
    }
    if (UsageIngestor.SUBJECT_MISMATCH.equals(reason)
        || UsageIngestor.METER_NOT_INGESTIBLE.equals(reason)) {
      return 403;
    }
    return 400;
  }

  /**
   * The problem that answers {@code failure}, or empty when it is not a refusal and the container
   * should answer it (500). This is the one decision every Tenantkit filter and route makes about a
   * failure, so the tenant filter's answer, the metering filter's {@code status} and {@code
   * error_type}, and the operator API's answer cannot disagree:
   *
   * <ul>
   *   <li>an exception that is, or has among its first ten causes, a {@link TenantkitException} (a
   *       {@code ServletException} or an unchecked wrapper around one, as frameworks and executors
   *       wrap) is answered with {@link #of(TenantkitException)} of the first one;
   *   <li>the admin API's own HTTP refusals (404 route, 405 method with {@code Allow}, 413, 415)
   *       are answered with their status, code and headers;
   *   <li>a {@link UsageMeterClosedException} (the application is shutting down), also among the
   *       first ten causes, is answered 503 {@value #USAGE_METER_CLOSED}, to be retried against
   *       another instance or later;
   *   <li>a {@code java.sql} connection failure, also among the first ten causes (SQLState class
   *       {@code 08}, or a {@link SQLTransientConnectionException} as HikariCP throws when no
   *       connection came within its {@code connectionTimeout}), is answered 503 {@value
   *       #STORE_UNAVAILABLE} with {@code Retry-After: 5}: the database is down, not the request at
   *       fault;
   *   <li>anything else, and every {@link Error} (a failing JVM, not a refused request), is not.
   * </ul>
   */
  public static Optional<Problem> forFailure(Throwable failure) {
    if (!(failure instanceof Exception)) {
      return Optional.empty();
    }
    if (failure instanceof HttpProblem http) {
      return Optional.of(
          new Problem(http.status(), http.code(), http.getMessage(), Map.of(), http.headers()));
    }
    // Bounded, since a cause chain can be cyclic.
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
      if (t instanceof TenantkitException e) {
        return Optional.of(of(e));
      }
      if (t instanceof UsageMeterClosedException) {
        return Optional.of(
            new Problem(
                503, USAGE_METER_CLOSED, "usage metering is shutting down", Map.of(), Map.of()));
      }
      if (isConnectionFailure(t)) {
        return Optional.of(
            new Problem(
                503,
                STORE_UNAVAILABLE,
                "the database cannot be reached; retry later",
                Map.of(),
                Map.of("Retry-After", "5")));
      }
    }
    return Optional.empty();
  }

  private static boolean isConnectionFailure(Throwable t) {
    if (t instanceof SQLTransientConnectionException) {
      return true;
    }
    return t instanceof SQLException sql
        && sql.getSQLState() != null
        && sql.getSQLState().startsWith("08");
  }

  /**
   * The problem for {@code e}: status from {@link #status(TenantkitException)}, code from {@link
   * TenantkitException#code()}, detail from its message, extensions from {@link
   * #extensions(TenantkitException)}, no headers of its own.
   */
  public static Problem of(TenantkitException e) {
    return new Problem(status(e), e.code(), e.getMessage(), extensions(e), Map.of());
  }

  /**
   * The extension members for {@code e}: {@code field} for {@link InvalidInputException}, {@code
   * scope} for {@link MissingScopeException}, none otherwise.
   */
  public static Map<String, Object> extensions(TenantkitException e) {
    if (e instanceof InvalidInputException invalid && invalid.field() != null) {
      return Map.of("field", invalid.field());
    }
    if (e instanceof MissingScopeException missing) {
      return Map.of("scope", missing.scope());
    }
    return Map.of();
  }

  /**
   * The members of a problem body, in the order they are written.
   *
   * @param status the HTTP status
   * @param code the stable slug of the problem
   * @param detail what went wrong in this occurrence, fit to show the caller
   * @param instance the request path, or {@code null}
   * @param extensions further members; may not redefine a standard member
   * @throws IllegalArgumentException if an extension redefines a standard member
   */
  public static Map<String, Object> body(
      int status, String code, String detail, String instance, Map<String, ?> extensions) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_BASE + code);
    body.put("title", title(code));
    body.put("status", status);
    body.put("detail", capped(detail));
    body.put("instance", instance);
    body.put("code", code);
    for (Map.Entry<String, ?> e : extensions.entrySet()) {
      if (STANDARD_MEMBERS.contains(e.getKey())) {
        throw new IllegalArgumentException("extension redefines '" + e.getKey() + "'");
      }
      body.put(e.getKey(), e.getValue());
    }
    return body;
  }

  /**
   * {@code detail} cut to {@value #MAX_DETAIL} characters (never inside a surrogate pair), ending
   * in "…": a detail often quotes the input it refuses, and a refusal must not echo a huge input.
   */
  static String capped(String detail) {
    if (detail == null || detail.length() <= MAX_DETAIL) {
      return detail;
    }
    int end = MAX_DETAIL - 1;
    if (Character.isHighSurrogate(detail.charAt(end - 1))) {
      end--;
    }
    return detail.substring(0, end) + "\u2026";
  }

  /**
   * Writes a problem as the whole response. A 401 also gets {@code WWW-Authenticate: Bearer}. The
   * caller makes sure the response is not committed (and resets it if something was buffered). The
   * code is also left in the request attribute {@link #CODE_ATTRIBUTE}.
   *
   * @throws IOException if the response cannot be written
   * @throws IllegalArgumentException if an extension redefines a standard member
   */
  public static void write(
      HttpServletRequest request,
      HttpServletResponse response,
      int status,
      String code,
      String detail,
      Map<String, ?> extensions)
      throws IOException {
    byte[] bytes =
        JSON.writeValueAsBytes(body(status, code, detail, request.getRequestURI(), extensions));
    request.setAttribute(CODE_ATTRIBUTE, code);
    response.setStatus(status);
    if (status == HttpServletResponse.SC_UNAUTHORIZED) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    response.setHeader("Cache-Control", "no-store");
    response.setContentType(MEDIA_TYPE);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /**
   * Writes the problem for a refused request: status {@link DenialReason#httpStatus()}, type from
   * {@link DenialReason#code()}.
   *
   * @throws IOException if the response cannot be written
   */
  public static void write(
      HttpServletRequest request, HttpServletResponse response, DenialReason reason, String detail)
      throws IOException {
    write(request, response, reason.httpStatus(), reason.code(), detail, Map.of());
  }

  /**
   * Answers {@code failure} with its problem ({@link #forFailure}) as the whole response, first
   * marking the connection to close when the request body was left unread. A failure that is not
   * one of ours is rethrown, for the container to answer.
   *
   * @throws IOException if the response cannot be written
   */
  public static void writeFailure(
      HttpServletRequest request, HttpServletResponse response, RuntimeException failure)
      throws IOException {
    Problem problem = forFailure(failure).orElseThrow(() -> failure);
    UnreadBody.closeConnectionIfAny(request, response);
    write(request, response, problem);
  }

  /**
   * Writes {@code problem}: its headers, then the body and the headers of {@link #write(
   * HttpServletRequest, HttpServletResponse, int, String, String, Map)}.
   *
   * @throws IOException if the response cannot be written
   */
  public static void write(
      HttpServletRequest request, HttpServletResponse response, Problem problem)
      throws IOException {
    problem.headers().forEach(response::setHeader);
    write(
        request,
        response,
        problem.status(),
        problem.code(),
        problem.detail(),
        problem.extensions());
  }
}
