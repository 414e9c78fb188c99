package dev.tenantkit.adapters.servlet;

import dev.tenantkit.adapters.servlet.internal.BillingApi;
import dev.tenantkit.adapters.servlet.internal.BillingViews;
import dev.tenantkit.adapters.servlet.internal.CreditNoteBody;
import dev.tenantkit.adapters.servlet.internal.PageLimit;
import dev.tenantkit.billing.Billing;
import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.CreditNoteRequest;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceStateException;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.report.MonthRevenue;
import dev.tenantkit.billing.report.RevenueReports;
import dev.tenantkit.billing.spi.BillingRunRecord;
import dev.tenantkit.billing.spi.InvoiceFilter;
import dev.tenantkit.billing.spi.InvoiceKey;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.InvalidTenantIdException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Billing over HTTP, over a {@link Billing}: the tenant's routes, served by {@link
 * #tenantServlet()} behind the {@link TenantFilter} (the tenant is the credential's, never a
 * parameter), and the operator's, added to the operator API with {@link
 * TenantAdminServlet.Builder#routes(AdminRoutes...)}:
 *
 * <pre>
 * tenant (map the servlet at every path of {@link #TENANT_PATHS})
 * GET  /api/billing/summary               the current period so far, per charge     billing:read
 * GET  /api/billing/invoice?period=monthly the current period's invoice so far       billing:read
 * GET  /api/invoices?cursor=&amp;limit=       the tenant's invoices                      billing:read
 * GET  /api/invoices/upcoming             as /api/billing/invoice                   billing:read
 * GET  /api/invoices/{id}[.html|.pdf]     one invoice: JSON, or by Accept or suffix  billing:read
 * GET  /api/subscription                  the subscription                          billing:read
 * POST /api/subscription/change           {"plan": "...", "now": false}; proration   billing:write
 * operator (relative to the operator API)
 * POST /billing/runs?period=YYYY-MM       starts or resumes the month's run: 202
 * GET  /billing/runs/{id}                 its progress
 * GET  /invoices?status=&amp;tenant=&amp;cursor=  invoices across tenants
 * POST /invoices/{id}/void?tenant=        voids an invoice
 * POST /invoices/{id}/credit-notes?tenant= issues a credit note: 201 (200 for a retry with the
 *                                         same Idempotency-Key: the note it stored)
 * GET  /revenue?from=YYYY-MM&amp;to=YYYY-MM   MRR and ARR, revenue by month and plan, receivables
 * </pre>
 *
 * An invoice id of another tenant is answered 404, as an unknown one, never 403, which would tell
 * that it exists. The JSON forms and problems are described in {@code docs/servlet.md}. Immutable
 * and thread-safe.
 */
public final class BillingRoutes implements AdminRoutes {
  /** The paths to map {@link #tenantServlet()} at. */
  public static final List<String> TENANT_PATHS =
      List.of(
          "/api/billing/*",
          "/api/invoices",
          "/api/invoices/*",
          "/api/subscription",
          "/api/subscription/*");

  /** The scope a credential needs for the tenant's {@code GET} routes: {@value}. */
  public static final String READ_SCOPE = "billing:read";

  /** The scope a credential needs to change the subscription: {@value}. */
  public static final String WRITE_SCOPE = "billing:write";

  private static final Pattern PERIOD = Pattern.compile("\\d{4}-\\d{2}");
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final YearMonth FIRST_PERIOD = YearMonth.of(2000, 1);
  private static final Pattern NOTE_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final Billing billing;
  private final BillingApi api;

  private BillingRoutes(Billing billing, String readScope, String writeScope) {
    this.billing = billing;
    this.api = new BillingApi(billing, readScope, writeScope);
  }

  /**
   * Routes over {@code billing}, with the scopes {@value #READ_SCOPE} and {@value #WRITE_SCOPE}.
   *
   * @throws NullPointerException if {@code billing} is null
   */
  public static BillingRoutes of(Billing billing) {
    return of(billing, READ_SCOPE, WRITE_SCOPE);
  }

  /**
   * Routes over {@code billing} whose tenant routes need these scopes ({@code null} leaves it to
   * the tenant filter's rules).
   *
   * @throws NullPointerException if {@code billing} is null
   */
  public static BillingRoutes of(Billing billing, String readScope, String writeScope) {
    return new BillingRoutes(Objects.requireNonNull(billing, "billing"), readScope, writeScope);
  }

  /** The servlet of the tenant's routes; map it at {@link #TENANT_PATHS} behind the filter. */
  public HttpServlet tenantServlet() {
    return new TenantServlet(api);
  }

  @Override
  public List<AdminRoute> routes() {
    return List.of(
        AdminRoute.post("/billing/runs", this::startRun),
        AdminRoute.get(
            "/billing/runs/{id}",
            r ->
                AdminResponse.ok(
                    BillingViews.run(
                        billing
                            .run(r.pathVariable("id"))
                            .orElseThrow(
                                () -> new NotFoundException("no billing run with that id"))))),
        AdminRoute.get("/invoices", this::listInvoices),
        AdminRoute.post(
            "/invoices/{id}/void",
            r ->
                AdminResponse.ok(
                    BillingViews.invoice(
                        billing, tenant(r), billing.voidInvoice(tenant(r), r.pathVariable("id"))))),
        AdminRoute.post("/invoices/{id}/credit-notes", this::creditNote),
        AdminRoute.get("/revenue", this::revenue));
  }

  private AdminResponse startRun(AdminRequest request) {
    String text = single(request, "period");
    if (text == null || !PERIOD.matcher(text).matches()) {
      throw new InvalidInputException("period", "is required, as YYYY-MM");
    }
    YearMonth month = month("period", text);
    YearMonth current = YearMonth.from(billing.clock().instant().atZone(ZoneOffset.UTC));
    if (month.isBefore(FIRST_PERIOD) || month.isAfter(current)) {
      throw new InvalidInputException(
          "period", "must be a month from " + FIRST_PERIOD + " to the current one, " + current);
    }
    BillingRunRecord run = billing.startRun(month);
    String location =
        request.servletRequest().getContextPath()
            + request.servletRequest().getServletPath()
            + "/billing/runs/"
            + run.id();
    return new AdminResponse(202, BillingViews.run(run), Map.of("Location", location));
  }

  private AdminResponse listInvoices(AdminRequest request) {
    InvoiceStatus status = status(single(request, "status"));
    String cursor = single(request, "cursor");
    int limit = PageLimit.parse(single(request, "limit"));
    String tenantText = single(request, "tenant");
    List<Invoice> items;
    String next;
    if (tenantText != null) {
      // One tenant: its own pages, filtered by status within the page.
      Page<Invoice> page = billing.invoices(tenantId("tenant", tenantText), cursor, limit);
      items = page.items().stream().filter(i -> status == null || i.status() == status).toList();
      next = page.nextCursor();
    } else {
      InvoiceFilter filter =
          status == null ? InvoiceFilter.ALL : InvoiceFilter.ALL.withStatus(status);
      items = billing.allInvoices(filter, key(cursor), limit);
      Invoice last = items.isEmpty() ? null : items.get(items.size() - 1);
      next = items.size() < limit ? null : last.tenant().value() + ":" + last.id();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items.stream().map(BillingViews::invoiceEntry).toList());
    body.put("nextCursor", next);
    return AdminResponse.ok(body);
  }

  private AdminResponse creditNote(AdminRequest request) throws IOException {
    TenantId tenant = tenant(request);
    String invoiceId = request.pathVariable("id");
    Invoice invoice = billing.invoice(tenant, invoiceId);
    String key = request.servletRequest().getHeader(IDEMPOTENCY_KEY);
    if (key != null && !NOTE_KEY.matcher(key).matches()) {
      throw new InvalidInputException(
          IDEMPOTENCY_KEY, "must be 1 to 64 letters, digits or . _ : -");
    }
    LocalDate today = LocalDate.ofInstant(billing.clock().instant(), ZoneOffset.UTC);
    CreditNoteRequest r =
        CreditNoteBody.read(
            request.servletRequest(),
            key != null ? key : UUID.randomUUID().toString(),
            today,
            invoice.currency());
    // A retry of a note that was stored gets that note back, not a second one.
    Optional<AdminResponse> retried = retried(tenant, invoiceId, key, r);
    if (retried.isPresent()) {
      return retried.get();
    }
    CreditNote note;
    try {
      note = billing.issueCreditNote(tenant, invoiceId, r);
    } catch (InvoiceStateException | ConflictException e) {
      // The same retry sent twice at once: one stored the note, this one answers it.
      return retried(tenant, invoiceId, key, r).orElseThrow(() -> e);
    }
    return new AdminResponse(201, BillingViews.creditNote(note), Map.of());
  }

  /**
   * The answer to a request whose Idempotency-Key names a note of this invoice: that note (200) if
   * the request asks for the same note, a 409 if it asks for another.
   */
  private Optional<AdminResponse> retried(
      TenantId tenant, String invoiceId, String key, CreditNoteRequest r) {
    if (key == null) {
      return Optional.empty();
    }
    Optional<CreditNote> earlier =
        billing.creditNotes(tenant, invoiceId).stream().filter(n -> n.id().equals(key)).findFirst();
    if (earlier.isEmpty()) {
      return Optional.empty();
    }
    if (!sameRequest(earlier.get(), r)) {
      throw new ConflictException(
          "Idempotency-Key " + key + " was used for another credit note of this invoice");
    }
    return Optional.of(AdminResponse.ok(BillingViews.creditNote(earlier.get())));
  }

  private static boolean sameRequest(CreditNote note, CreditNoteRequest r) {
    if (note.method() != r.method()
        || note.reason() != r.reason()
        || !Objects.equals(note.description(), r.description())) {
      return false;
    }
    if (r.lineAmounts().isEmpty()) {
      return true; // the whole of what was left then
    }
    Map<Integer, Money> credited = new LinkedHashMap<>();
    note.items().forEach(item -> credited.merge(item.lineIndex(), item.amount(), Money::plus));
    Map<Integer, Money> asked = new LinkedHashMap<>();
    r.lineAmounts().forEach((line, amount) -> asked.put(line, amount.rounded()));
    return credited.equals(asked);
  }

  private AdminResponse revenue(AdminRequest request) {
    Instant now = billing.clock().instant();
    YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
    String fromText = single(request, "from");
    String toText = single(request, "to");
    YearMonth to = toText == null ? current : month("to", toText);
    YearMonth from = fromText == null ? to.minusMonths(11) : month("from", fromText);
    if (from.isAfter(to)) {
      throw new InvalidInputException("from", "must not be after \"to\"");
    }
    if (from.plusMonths(120).isBefore(to)) {
      throw new InvalidInputException("from", "must be at most 10 years before \"to\"");
    }
    RevenueReports reports = billing.reports();
    var recurring = reports.recurringRevenue(now);
    var monthly = reports.monthlyRevenue(from, to);
    var receivables = reports.receivables(now);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("at", now.toString());
    body.put(
        "recurring",
        recurring.byCurrency().stream()
            .map(
                c ->
                    Map.<String, Object>of(
                        "currency", c.mrr().currency().getCurrencyCode(),
                        "mrr", BillingViews.amount(c.mrr()),
                        "arr", BillingViews.amount(c.arr()),
                        "subscriptions", c.subscriptions()))
            .toList());
    body.put("trialing", recurring.trialing());
    body.put("paused", recurring.paused());
    body.put("from", from.toString());
    body.put("to", to.toString());
    body.put("byMonth", monthly.totals().stream().map(BillingRoutes::month).toList());
    body.put("byPlan", monthly.byPlan().stream().map(BillingRoutes::month).toList());
    body.put(
        "receivables",
        receivables.byCurrency().stream()
            .map(
                o ->
                    Map.<String, Object>of(
                        "currency", o.open().currency().getCurrencyCode(),
                        "open", BillingViews.amount(o.open()),
                        "openInvoices", o.openInvoices(),
                        "overdue", BillingViews.amount(o.overdue()),
                        "overdueInvoices", o.overdueInvoices()))
            .toList());
    return AdminResponse.ok(body);
  }

  private static Map<String, Object> month(MonthRevenue m) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("month", m.month().toString());
    m.plan().ifPresent(p -> v.put("plan", p));
    v.put("currency", m.amount().currency().getCurrencyCode());
    v.put("amount", BillingViews.amount(m.amount()));
    v.put("change", BillingViews.amount(m.change()));
    v.put("changePercent", m.changePercent().map(BigDecimal::toPlainString).orElse(null));
    return v;
  }

  private static TenantId tenant(AdminRequest request) {
    String text = single(request, "tenant");
    if (text == null) {
      throw new InvalidInputException("tenant", "is required: the tenant whose invoice it is");
    }
    return tenantId("tenant", text);
  }

  private static TenantId tenantId(String field, String text) {
    try {
      return TenantId.of(text);
    } catch (InvalidTenantIdException e) {
      throw new InvalidInputException(field, e.getMessage());
    }
  }

  private static String single(AdminRequest request, String name) {
    String[] values = request.servletRequest().getParameterValues(name);
    if (values != null && values.length > 1) {
      throw new InvalidInputException(name, "must be given once");
    }
    return values == null || values[0].isEmpty() ? null : values[0];
  }

  private static YearMonth month(String field, String text) {
    try {
      if (PERIOD.matcher(text).matches()) {
        return YearMonth.parse(text);
      }
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(field, "must be a month as YYYY-MM");
    }
    throw new InvalidInputException(field, "must be a month as YYYY-MM");
  }

  private static InvoiceStatus status(String text) {
    return text == null ? null : enumOf(InvoiceStatus.class, "status", text);
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String field, String text) {
    if (text == null) {
      throw new InvalidInputException(field, "is required");
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      String wire = e.name().toLowerCase(Locale.ROOT);
      if (wire.equals(text)) {
        return e;
      }
      names.add(wire);
    }
    throw new InvalidInputException(field, "must be one of " + String.join(", ", names));
  }

  /** The cursor of {@code GET /invoices} across tenants: {@code tenant:invoice id}. */
  private static InvoiceKey key(String cursor) {
    if (cursor == null) {
      return null;
    }
    int colon = cursor.indexOf(':');
    if (colon < 1 || colon == cursor.length() - 1) {
      throw new InvalidInputException("cursor", "is not a cursor this API returned");
    }
    return new InvoiceKey(
        tenantId("cursor", cursor.substring(0, colon)), cursor.substring(colon + 1));
  }

  /** The tenant routes' servlet; every method is answered by {@link BillingApi}. */
  private static final class TenantServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient BillingApi api;

    TenantServlet(BillingApi api) {
      this.api = api;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      api.handle(request, response);
    }
  }
}
