package dev.tenantkit.adapters.servlet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.adapters.servlet.Problems;
import dev.tenantkit.metering.ingest.EventResult;
import dev.tenantkit.metering.ingest.IngestResponse;
import dev.tenantkit.metering.ingest.Shape;
import dev.tenantkit.metering.ingest.UsageIngestor;
import dev.tenantkit.tenancy.MissingScopeException;
import dev.tenantkit.tenancy.NoTenantBoundException;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantkitException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
   * Answers one request.
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
      Shape shape = shape(request.getContentType());
      byte[] body = RequestBody.read(request, MEDIA_TYPES, UsageIngestor.MAX_BYTES);
      answer = ingestor.ingest(binding.tenantId(), body, shape);
    } catch (HttpProblem p) {
      p.headers().forEach(response::setHeader);
      UnreadBody.closeConnectionIfAny(request, response);
      Problems.write(request, response, p.status(), p.code(), p.getMessage(), Map.of());
      return;
    } catch (TenantkitException e) {
      UnreadBody.closeConnectionIfAny(request, response);
      Problems.write(request, response, Problems.of(e));
      return;
    } catch (IllegalStateException closed) {
      // The usage meter is closed: the application is shutting down.
      response.setHeader("Retry-After", retryAfterSeconds);
      Problems.write(
          request, response, 503, "store-unavailable", "usage metering is shutting down", Map.of());
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
    int status;
    if (r.status() == EventResult.Status.CONFLICT) {
      status = 409;
    } else if (r.retryable()) {
      status = 503;
      response.setHeader("Retry-After", retryAfterSeconds);
    } else if (UsageIngestor.SUBJECT_MISMATCH.equals(r.reason())) {
      status = 403;
    } else {
      status = 400;
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
