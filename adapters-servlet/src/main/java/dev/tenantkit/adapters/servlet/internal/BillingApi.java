package dev.tenantkit.adapters.servlet.internal;

import dev.tenantkit.adapters.servlet.Problems;
import dev.tenantkit.adapters.servlet.QueryStrings;
import dev.tenantkit.billing.Billing;
import dev.tenantkit.billing.Billing.Format;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.MissingScopeException;
import dev.tenantkit.tenancy.NoTenantBoundException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Answers the tenant's billing routes of {@link dev.tenantkit.adapters.servlet.BillingRoutes}: the
 * tenant is the one the {@link dev.tenantkit.adapters.servlet.TenantFilter} bound, never a
 * parameter; every invoice id is looked up among that tenant's invoices only, so another tenant's
 * id is 404 like an unknown one. Immutable and thread-safe.
 */
public final class BillingApi {
  private static final Set<String> JSON = Set.of("application/json");
  private static final Set<String> CHANGE_FIELDS = Set.of("plan", "now", "preview");

  private final Billing billing;
  private final String readScope;
  private final String writeScope;

  /**
   * @param billing what answers
   * @param readScope the scope the credential needs for the {@code GET} routes
   * @param writeScope the scope it needs to change the subscription
   */
  public BillingApi(Billing billing, String readScope, String writeScope) {
    this.billing = billing;
    this.readScope = readScope;
    this.writeScope = writeScope;
  }

  /**
   * Answers one request; a refusal is written as its problem, nothing is half-written.
   *
   * @throws IOException if the request cannot be read or the answer cannot be written
   */
  public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Answer answer;
    try {
      QueryStrings.requireDecodable(request.getQueryString());
      answer = route(request);
    } catch (RuntimeException e) {
      Problems.writeFailure(request, response, e);
      return;
    }
    response.setStatus(200);
    response.setHeader("Cache-Control", "no-store");
    // An invoice rendered as HTML holds the tenant's and issuer's text: never sniffed as another
    // type.
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentType(answer.mediaType());
    response.setContentLength(answer.body().length);
    response.getOutputStream().write(answer.body());
  }

  private Answer route(HttpServletRequest request) throws IOException {
    String uri = request.getRequestURI().substring(request.getContextPath().length());
    List<String> s = Arrays.asList(uri.substring(1).split("/", -1));
    String method = request.getMethod();
    if (s.size() == 3 && s.get(0).equals("api") && s.get(1).equals("billing")) {
      if (s.get(2).equals("summary")) {
        requireGet(method);
        return json(BillingViews.summary(billing.summary(tenant(readScope))));
      }
      if (s.get(2).equals("invoice")) {
        requireGet(method);
        return currentInvoice(request);
      }
    }
    if (s.size() >= 2 && s.get(0).equals("api") && s.get(1).equals("invoices")) {
      if (s.size() == 2) {
        requireGet(method);
        return list(request);
      }
      if (s.size() == 3 && !s.get(2).isEmpty()) {
        requireGet(method);
        return s.get(2).equals("upcoming") ? upcoming() : invoice(request, s.get(2));
      }
    }
    if (s.size() >= 2 && s.get(0).equals("api") && s.get(1).equals("subscription")) {
      if (s.size() == 2) {
        requireGet(method);
        TenantId tenant = tenant(readScope);
        return json(
            BillingViews.subscription(
                billing
                    .subscription(tenant)
                    .orElseThrow(() -> new NotFoundException("the tenant has no subscription")),
                billing.clock().instant()));
      }
      if (s.size() == 3 && s.get(2).equals("change")) {
        if (!method.equals("POST")) {
          throw new HttpProblem(
              405, "method-not-allowed", "this route accepts only POST", Map.of("Allow", "POST"));
        }
        return change(request);
      }
    }
    throw new HttpProblem(404, "route-not-found", "the billing API has no such route");
  }

  /** {@code ?period=monthly}, the only period there is today; the current period so far. */
  private Answer currentInvoice(HttpServletRequest request) {
    String[] periods = request.getParameterValues("period");
    if (periods != null && (periods.length > 1 || !periods[0].equals("monthly"))) {
      throw new InvalidInputException("period", "must be monthly, given once");
    }
    return upcoming();
  }

  private Answer upcoming() {
    TenantId tenant = tenant(readScope);
    var upcoming = billing.upcoming(tenant);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("period", BillingViews.period(upcoming.period()));
    body.put("asOf", upcoming.asOf().toString());
    body.put("invoice", BillingViews.invoice(billing, tenant, upcoming.invoice()));
    return json(body);
  }

  private Answer list(HttpServletRequest request) {
    TenantId tenant = tenant(readScope);
    Page<Invoice> page =
        billing.invoices(
            tenant, request.getParameter("cursor"), PageLimit.parse(request.getParameter("limit")));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.items().stream().map(BillingViews::invoiceEntry).toList());
    body.put("nextCursor", page.nextCursor());
    return json(body);
  }

  private Answer invoice(HttpServletRequest request, String segment) {
    TenantId tenant = tenant(readScope);
    Format format;
    String id;
    if (segment.endsWith(".html")) {
      format = Format.HTML;
      id = segment.substring(0, segment.length() - 5);
    } else if (segment.endsWith(".pdf")) {
      format = Format.PDF;
      id = segment.substring(0, segment.length() - 4);
    } else {
      format = negotiate(request.getHeader("Accept"));
      id = segment;
    }
    if (format == Format.JSON) {
      return json(BillingViews.invoice(billing, tenant, billing.invoice(tenant, id)));
    }
    return new Answer(format.mediaType(), billing.render(tenant, id, format));
  }

  /**
   * The first media range of {@code Accept} (in its order, skipping {@code q=0}) that one of the
   * three renderings matches; JSON when the header is absent.
   */
  static Format negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return Format.JSON;
    }
    for (String range : accept.split(",", -1)) {
      String[] parts = range.split(";", -1);
      String type = parts[0].strip().toLowerCase(Locale.ROOT);
      boolean refused = false;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].strip().toLowerCase(Locale.ROOT).replace(" ", "");
        if (p.matches("q=0(\\.0{0,3})?")) {
          refused = true;
        }
      }
      if (refused) {
        continue;
      }
      switch (type) {
        case "application/json", "application/*", "*/*":
          return Format.JSON;
        case "text/html", "text/*":
          return Format.HTML;
        case "application/pdf":
          return Format.PDF;
        default:
          break;
      }
    }
    throw new HttpProblem(
        406,
        "not-acceptable",
        "an invoice is served as application/json, text/html or application/pdf");
  }

  private Answer change(HttpServletRequest request) throws IOException {
    TenantId tenant = tenant(writeScope);
    byte[] raw = RequestBody.read(request, JSON);
    if (raw.length == 0) {
      throw new InvalidInputException("body", "is required");
    }
    JsonFields body = JsonFields.parse(raw, CHANGE_FIELDS);
    String plan = body.requiredText("plan");
    boolean now = body.bool("now");
    if (body.bool("preview")) {
      return json(BillingViews.change(billing.previewChange(tenant, plan, now), false));
    }
    return json(BillingViews.change(billing.changePlan(tenant, plan, now), true));
  }

  private static TenantId tenant(String scope) {
    TenantBinding binding = TenantContext.current().orElseThrow(NoTenantBoundException::new);
    if (scope != null && !binding.hasScope(scope)) {
      throw new MissingScopeException(scope);
    }
    return binding.tenantId();
  }

  private static void requireGet(String method) {
    if (!method.equals("GET")) {
      throw new HttpProblem(
          405, "method-not-allowed", "this route accepts only GET", Map.of("Allow", "GET"));
    }
  }

  private static Answer json(Object body) {
    try {
      return new Answer("application/json", JsonFields.MAPPER.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a billing view could not be written as JSON", e);
    }
  }

  /** A rendered answer. */
  @SuppressWarnings("ArrayRecordComponent") // written once, never compared
  private record Answer(String mediaType, byte[] body) {}
}
