package dev.tenantkit.adapters.servlet;

import dev.tenantkit.adapters.servlet.internal.IngestApi;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.ingest.UsageIngestor;
import dev.tenantkit.tenancy.Scopes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Usage ingestion over HTTP for services in any language: {@code POST} CloudEvents to it and each
 * becomes a usage event of the caller's tenant ({@link UsageIngestor}). Map it at {@code
 * /api/events} behind the {@link TenantFilter}, which binds the tenant from the credential; this
 * servlet refuses a request without a bound tenant (401) and one whose credential lacks {@link
 * #DEFAULT_SCOPE} (403), so a host cannot forget the scope.
 *
 * <pre>
 * Content-Type                           body                      answer
 * application/cloudevents+json           one event (object)        202 + result, or the event's problem
 * application/cloudevents-batch+json     up to 1,000 (array)       200 + counts and a result per event
 * application/json                       either of the two
 * </pre>
 *
 * Bodies are at most 1 MiB, read with that hard bound (413 {@code payload-too-large} above it and
 * above 1,000 events); other media types get 415, malformed JSON 400 {@code invalid-input} with
 * field {@code body}; a {@code Content-Encoding} other than {@code identity} and a UTF-16 body get
 * 415. Only the meters the builder allows may be written ({@link Builder#ingestibleMeters}; by
 * default not the built-in ones the host records). The answers are described in {@code
 * docs/metering.md}. Thread-safe.
 */
public final class UsageIngestServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The scope a credential needs to write usage: {@value}. */
  public static final String DEFAULT_SCOPE = "usage:write";

  /** Where the servlet is usually mapped: {@value}. */
  public static final String DEFAULT_PATH = "/api/events";

  private final IngestApi api;

  private UsageIngestServlet(IngestApi api) {
    this.api = api;
  }

  /** A builder over metering's meter and catalog. */
  public static Builder builder(Metering metering) {
    return new Builder(UsageIngestor.builder(Objects.requireNonNull(metering, "metering")));
  }

  /**
   * Answers every method itself: {@code POST} ingests, others get 405 with {@code Allow: POST}.
   *
   * @throws IOException if the request cannot be read or the answer cannot be written
   */
  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    api.handle(request, response);
  }

  /** Builder of {@link UsageIngestServlet}. Not thread-safe. */
  public static final class Builder {
    private final UsageIngestor.Builder ingestor;
    private String scope = DEFAULT_SCOPE;
    private Duration retryAfter = Duration.ofSeconds(5);

    private Builder(UsageIngestor.Builder ingestor) {
      this.ingestor = ingestor;
    }

    /**
     * Where to count ingested events ({@code tenantkit.usage.ingest.events}) and refused requests
     * ({@code tenantkit.usage.ingest.requests.refused}); default none.
     */
    public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
      ingestor.meterRegistry(registry);
      return this;
    }

    /**
     * The meters events may name; see {@link UsageIngestor.Builder#ingestibleMeters}. Default: the
     * catalog's meters except the built-in ones, which the host records itself.
     *
     * @throws IllegalArgumentException if a name is not a meter of the catalog
     */
    public Builder ingestibleMeters(java.util.Set<String> names) {
      ingestor.ingestibleMeters(names);
      return this;
    }

    /**
     * The scope the credential must grant; default {@value UsageIngestServlet#DEFAULT_SCOPE}.
     *
     * @throws IllegalArgumentException if the scope is malformed
     */
    public Builder requiredScope(String scope) {
      Scopes.validate(List.of(Objects.requireNonNull(scope, "scope")));
      this.scope = scope;
      return this;
    }

    /** The {@code Retry-After} of a 503 when the usage store is down; default 5 seconds. */
    public Builder retryAfter(Duration retryAfter) {
      if (retryAfter.isNegative() || retryAfter.isZero()) {
        throw new IllegalArgumentException("retryAfter must be positive");
      }
      this.retryAfter = retryAfter;
      return this;
    }

    /** Builds the servlet. */
    public UsageIngestServlet build() {
      return new UsageIngestServlet(new IngestApi(ingestor.build(), scope, retryAfter));
    }
  }
}
