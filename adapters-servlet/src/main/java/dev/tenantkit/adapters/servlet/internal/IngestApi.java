package dev.tenantkit.adapters.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.adapters.servlet.Problem;
import dev.tenantkit.adapters.servlet.Problems;
import dev.tenantkit.metering.ingest.EventResult;
import dev.tenantkit.metering.ingest.IngestResponse;
import dev.tenantkit.metering.ingest.Shape;
import dev.tenantkit.metering.ingest.UsageIngestor;
import dev.tenantkit.tenancy.MissingScopeException;
import dev.tenantkit.tenancy.NoTenantBoundException;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answers the requests of {@link dev.tenantkit.adapters.servlet.UsageIngestServlet}: checks the
 * bound tenant and scope, the media type and size, hands the body to the {@link UsageIngestor} and
 * writes its results (200 per event for a batch; 202, or the problem of the event, for a single
 * one). Immutable and thread-safe.
 */
public final class IngestApi {
  /** One event: {@code application/cloudevents+json}. */
  public static final String SINGLE = "application/cloudevents+json";

  /** A batch: {@code application/cloudevents-batch+json}. */
  public static final String BATCH = "application/cloudevents-batch+json";

  /** Either, told apart by the JSON: {@code application/json}. */
  public static final String JSON = "application/json";

  private static final Set<String> MEDIA_TYPES = Set.of(SINGLE, BATCH, JSON);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A content coding as RFC 9110 writes one (a token); anything else is not echoed. */
  private static final Pattern CODING = Pattern.compile("[a-z0-9._+-]{1,32}");

  private final UsageIngestor ingestor;
  private final String requiredScope;
  private final String retryAfterSeconds;

  /**
   * @param ingestor what records the events
   * @param requiredScope the scope the credential must grant, or {@code null} to leave it to the
   *     tenant filter's rules
   * @param retryAfter sent as {@code Retry-After} with a 503
   */
  public IngestApi(UsageIngestor ingestor, String requiredScope, Duration retryAfter) {
    this.ingestor = ingestor;
    this.requiredScope = requiredScope;
    this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
  }

  /**
   * Answers one request. Every refusal goes through {@link Problems#forFailure} (the one
   * translation) and is counted by the ingestor's metrics; a failure that is not a refusal
   * propagates to the container.
   *
   * @throws IOException if the request cannot be read or the answer cannot be written
   */
  public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
    IngestResponse answer;
    try {
      if (!"POST".equals(request.getMethod())) {
        throw new HttpProblem(
            405, "method-not-allowed", "this route accepts only POST", Map.of("Allow", "POST"));
      }
      TenantBinding binding = TenantContext.current().orElseThrow(NoTenantBoundException::new);
      if (requiredScope != null && !binding.hasScope(requiredScope)) {
        throw new MissingScopeException(requiredScope);
      }
      refuseContentCoding(request);
      Shape shape = shape(request.getContentType());
      byte[] body = RequestBody.read(request, MEDIA_TYPES, UsageIngestor.MAX_BYTES);
      refuseUtf16(body);
      answer = ingestor.ingest(binding.tenantId(), body, shape);
    } catch (RuntimeException failure) {
      Optional<Problem> problem = Problems.forFailure(failure);
      if (problem.isEmpty()) {
        throw failure;
      }
      ingestor.countRefusal(problem.get().code());
      if (problem.get().status() == 503) {
        response.setHeader("Retry-After", retryAfterSeconds);
      }
      UnreadBody.closeConnectionIfAny(request, response);
      Problems.write(request, response, problem.get());
      return;
    }
    if (answer.batch()) {
      write(response, 200, batch(answer));
      return;
    }
    EventResult r = answer.results().get(0);
    switch (r.status()) {
      case ACCEPTED, DUPLICATE -> write(response, 202, result(r));
      default -> problem(request, response, r);
    }
  }

  /**
   * Refuses a body sent with a content coding (RFC 9110 section 8.4): 415 naming it, with {@code
   * Accept-Encoding: identity}, rather than a misleading "not valid JSON" for a gzipped body.
   */
  private static void refuseContentCoding(HttpServletRequest request) {
    for (Enumeration<String> values = request.getHeaders("Content-Encoding");
        values != null && values.hasMoreElements(); ) {
      for (String coding : values.nextElement().split(",", -1)) {
        String c = coding.strip().toLowerCase(Locale.ROOT);
        if (!c.isEmpty() && !c.equals("identity")) {
          throw new HttpProblem(
              415,
              "unsupported-media-type",
              "Content-Encoding "
                  + (CODING.matcher(c).matches() ? "'" + c + "' " : "")
                  + "is not supported; send the body without a content coding (identity)",
              Map.of("Accept-Encoding", "identity"));
        }
      }
    }
  }

  /**
   * Refuses a body that starts with a UTF-16 (or UTF-32) byte order mark: the JSON reader would
   * detect and decode it, but the body must be UTF-8, as a charset other than UTF-8 is refused.
   */
  private static void refuseUtf16(byte[] body) {
    if (body.length >= 2
        && ((body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
            || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE)
            || (body.length >= 4 && body[0] == 0 && body[1] == 0 && body[2] == (byte) 0xFE))) {
      throw new HttpProblem(
          415,
          "unsupported-media-type",
          "the body starts with a UTF-16 or UTF-32 byte order mark; send it in UTF-8");
    }
  }

  private static Shape shape(String contentType) {
    if (contentType != null && RequestBody.acceptable(contentType, MEDIA_TYPES)) {
      String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      return switch (type) {
        case SINGLE -> Shape.SINGLE;
        case BATCH -> Shape.BATCH;
        default -> Shape.EITHER;
      };
    }
    throw new HttpProblem(
        415,
        "unsupported-media-type",
        "send one event as "
            + SINGLE
            + ", a batch as "
            + BATCH
            + ", or either as "
            + JSON
            + ", in UTF-8");
  }

  private void problem(HttpServletRequest request, HttpServletResponse response, EventResult r)
      throws IOException {
    int status = Problems.rejectionStatus(r.reason());
    if (status == 503) {
      response.setHeader("Retry-After", retryAfterSeconds);
    }
    Map<String, Object> extensions = new LinkedHashMap<>();
    if (r.field() != null) {
      extensions.put("field", r.field());
    }
    extensions.put("index", r.index());
    if (r.id() != null) {
      extensions.put("id", r.id());
    }
    Problems.write(request, response, status, r.reason(), r.detail(), extensions);
  }

  private static Map<String, Object> batch(IngestResponse answer) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (EventResult.Status s : EventResult.Status.values()) {
      body.put(s.code(), answer.count(s));
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (EventResult r : answer.results()) {
      results.add(result(r));
    }
    body.put("results", results);
    return body;
  }

  private static Map<String, Object> result(EventResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", r.index());
    m.put("id", r.id());
    m.put("status", r.status().code());
    if (r.reason() != null) {
      m.put("reason", r.reason());
      m.put("field", r.field());
      m.put("detail", r.detail());
      m.put("retryable", r.retryable());
    }
    return m;
  }

  private static void write(HttpServletResponse response, int status, Object body)
      throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(body);
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
