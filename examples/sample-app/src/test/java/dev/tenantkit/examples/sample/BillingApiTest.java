package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.adapters.spring.TenantkitBillingAutoConfiguration;
import dev.tenantkit.billing.Billing;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.examples.sample.Callers.Caller;
import dev.tenantkit.examples.sample.Http.Answer;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Billing in the sample app over HTTP, on H2: the tenant's summary, invoice so far, plan change,
 * invoices as JSON, HTML and PDF; the operator's runs, voids, credit notes and revenue; isolation
 * between tenants; bad input. The plan catalog is the defaults with Starter's files limit at 2
 * ({@code billing-plans.json}), so three uploads bill one extra file. Time is a {@link FakeClock};
 * each test starts on the first day of a month after every earlier test's, so the tests do not
 * depend on their order. Runs start on the calling thread, so a 202 answers a finished run.
 */
@SpringBootTest(
    classes = {SampleApplication.class, StillClock.class, BillingApiTest.RunsInline.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tenantkit.operator-key=" + BillingApiTest.OPERATOR_KEY,
      "tenantkit.quotas.catalog-location=classpath:billing-plans.json"
    })
class BillingApiTest {
  static final String OPERATOR_KEY = "billing-api-test-operator-key-0123456789";

  @TempDir static Path dataDir;

  @LocalServerPort int port;
  @Autowired FakeClock clock;
  @Autowired Tenancy tenancy;
  @Autowired QuotaEnforcer quotas;
  @Autowired Billing billing;
  @Autowired Metering metering;
  @Autowired UsageQueries usage;

  Http http;
  Callers callers;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("tenantkit.data-dir", () -> dataDir.toString());
  }

  /** Billing runs on the request's thread. */
  static class RunsInline {
    @Bean(TenantkitBillingAutoConfiguration.RUN_EXECUTOR)
    Executor runsInline() {
      return Runnable::run;
    }
  }

  @BeforeEach
  void setUp() {
    http = new Http(port);
    callers = new Callers(tenancy, quotas);
  }

  @Test
  void aMonthOfUsageIsBilledAndServedToTheTenantAndTheOperator() throws IOException {
    YearMonth month = nextMonth();
    Caller a = callers.tenant("starter");
    Caller b = callers.tenant("starter");
    // Subscribed when created, to the plan it was created with.
    JsonNode subscription = get(a, "/api/subscription").assertStatus(200).json();
    assertThat(subscription.get("plan").asText()).isEqualTo("starter");

    // Three files held by a (one over starter's 2 here), then one deleted: the peak is billed.
    List<String> files = List.of(upload(a, "a.txt"), upload(a, "b.txt"), upload(a, "c.txt"));
    upload(b, "d.txt");
    http.send("DELETE", "/api/files/" + files.get(0), null, "Authorization", a.bearer())
        .assertStatus(204);
    metering.usageMeter().flush();
    assertThat(latest(a.tenant(), month)).isEqualByComparingTo("2");
    assertThat(usage.total(a.tenant(), "files", range(month), Aggregation.MAX))
        .isEqualByComparingTo("3");

    at(month.atDay(20));
    JsonNode summary = get(a, "/api/billing/summary").assertStatus(200).json();
    assertThat(summary.at("/period/start").asText()).isEqualTo(month.atDay(1).toString());
    assertThat(summary.get("currency").asText()).isEqualTo("USD");
    JsonNode filesOverage = charge(summary, "files_overage");
    assertThat(filesOverage.get("quantity").asText()).isEqualTo("1");
    assertThat(filesOverage.get("amount").asText()).isEqualTo("0.50");
    assertThat(charge(get(b, "/api/billing/summary").json(), "files_overage")).isNull();

    Answer soFar = get(a, "/api/billing/invoice?period=monthly").assertStatus(200);
    assertThat(soFar.json().at("/invoice/tenant").asText()).isEqualTo(a.tenant().value());
    assertThat(soFar.json().at("/invoice/status").asText()).isEqualTo("draft");
    assertThat(get(a, "/api/invoices/upcoming").json()).isEqualTo(soFar.json());

    // b upgrades at once: the answer carries the proration (credit of starter's unused days,
    // charge of professional's), and they agree to the cent.
    JsonNode change =
        http.send(
                "POST",
                "/api/subscription/change",
                "{\"plan\": \"professional\"}",
                "Authorization",
                b.bearer())
            .assertStatus(200)
            .json();
    assertThat(change.get("kind").asText()).isEqualTo("upgrade");
    assertThat(new BigDecimal(change.get("net").asText()))
        .isEqualByComparingTo(
            new BigDecimal(change.get("chargeTotal").asText())
                .subtract(new BigDecimal(change.get("creditTotal").asText())));
    assertThat(get(b, "/api/subscription").json().get("plan").asText()).isEqualTo("professional");

    // The operator bills the month: one invoice per tenant, 202 with the finished run.
    at(month.plusMonths(1).atDay(1).atStartOfDay().plusMinutes(10));
    Answer started = admin("POST", "/admin/billing/runs?period=" + month, null).assertStatus(202);
    String runId = started.json().get("id").asText();
    assertThat(started.header("Location")).isEqualTo("/admin/billing/runs/" + runId);
    JsonNode progress = admin("GET", "/admin/billing/runs/" + runId, null).json();
    assertThat(progress.get("status").asText()).isEqualTo("completed");
    assertThat(progress.get("invoicesCreated").asLong()).isGreaterThanOrEqualTo(2);
    clock.advance(Duration.ofDays(4));
    assertThat(billing.finalizeDue()).isGreaterThanOrEqualTo(2);

    JsonNode list = get(a, "/api/invoices").assertStatus(200).json();
    assertThat(list.get("items")).hasSize(1);
    JsonNode entry = list.get("items").get(0);
    String id = entry.get("id").asText();
    assertThat(entry.get("status").asText()).isEqualTo("finalized");
    assertThat(entry.get("number").asText()).matches("TK-\\d{4}-\\d{6}");

    // Usage in arrears (1 extra file, 0.50), next month's starter fee in advance (29.00), and this
    // first month's fee after the 14-day trial (days 15 to the end: 29 x (days - 14) / days,
    // rounded once); tax 10 % of the unrounded base, rounded once. In a 30-day month: 0.50 +
    // 29.00 + 15.47 + 4.50 = 49.47.
    int days = month.lengthOfMonth();
    BigDecimal firstFee =
        new BigDecimal("29")
            .multiply(BigDecimal.valueOf(days - 14))
            .divide(BigDecimal.valueOf(days), 12, RoundingMode.HALF_UP);
    BigDecimal base = new BigDecimal("29.50").add(firstFee);
    String total =
        new BigDecimal("29.50")
            .add(firstFee.setScale(2, RoundingMode.HALF_UP))
            .add(base.multiply(new BigDecimal("0.10")).setScale(2, RoundingMode.HALF_UP))
            .toPlainString();
    JsonNode invoice = get(a, "/api/invoices/" + id).assertStatus(200).json();
    assertThat(invoice.get("id").asText()).isEqualTo(id);
    assertThat(invoice.get("total").asText()).isEqualTo(total);
    assertThat(entry.get("total").asText()).isEqualTo(total);

    Answer html = get(a, "/api/invoices/" + id, "Accept", "text/html").assertStatus(200);
    assertThat(html.contentType()).startsWith("text/html");
    assertThat(html.body()).contains(entry.get("number").asText(), total, "Tenantkit Sample");
    assertThat(get(a, "/api/invoices/" + id + ".html").body()).isEqualTo(html.body());

    Answer pdf = get(a, "/api/invoices/" + id, "Accept", "application/pdf").assertStatus(200);
    assertThat(pdf.contentType()).isEqualTo("application/pdf");
    assertThat(text(pdf.bytes())).contains(entry.get("number").asText(), total);
    assertThat(text(get(a, "/api/invoices/" + id + ".pdf").bytes())).contains(total);

    // The operator lists, voids b's invoice, credits a's and reads the revenue.
    JsonNode all = admin("GET", "/admin/invoices?tenant=" + a.tenant().value(), null).json();
    assertThat(all.get("items")).extracting(i -> i.get("id").asText()).containsExactly(id);
    String bInvoice = billing.invoices(b.tenant(), null, 10).items().get(0).id();
    Answer voided =
        admin("POST", "/admin/invoices/" + bInvoice + "/void?tenant=" + b.tenant().value(), null)
            .assertStatus(200);
    assertThat(voided.json().get("status").asText()).isEqualTo("void");
    Answer note =
        admin(
                "POST",
                "/admin/invoices/" + id + "/credit-notes?tenant=" + a.tenant().value(),
                "{\"whole\": true, \"method\": \"credit\", \"reason\": \"other\","
                    + " \"description\": \"goodwill\"}")
            .assertStatus(201);
    assertThat(note.json().get("invoice_id").asText()).isEqualTo(id);
    assertThat(billing.creditNotes(a.tenant(), id)).hasSize(1);
    JsonNode revenue =
        admin("GET", "/admin/revenue?from=" + month + "&to=" + month.plusMonths(1), null)
            .assertStatus(200)
            .json();
    assertThat(revenue.get("recurring").get(0).get("currency").asText()).isEqualTo("USD");
    assertThat(revenue.get("byMonth")).isNotNull();

    // A second run of the month bills only b's voided period again: a's invoice stays the one
    // it has; a third creates nothing.
    Answer again = admin("POST", "/admin/billing/runs?period=" + month, null).assertStatus(202);
    JsonNode second =
        admin("GET", "/admin/billing/runs/" + again.json().get("id").asText(), null).json();
    assertThat(second.get("invoicesCreated").asLong()).isEqualTo(1);
    assertThat(billing.invoices(a.tenant(), null, 10).items())
        .extracting(i -> i.id())
        .containsExactly(id);
    assertThat(billing.invoices(b.tenant(), null, 10).items())
        .extracting(i -> i.status().wireName())
        .containsExactlyInAnyOrder("void", "draft");
    Answer third = admin("POST", "/admin/billing/runs?period=" + month, null).assertStatus(202);
    assertThat(
            admin("GET", "/admin/billing/runs/" + third.json().get("id").asText(), null)
                .json()
                .get("invoicesCreated")
                .asLong())
        .isZero();
  }

  @Test
  void aTenantCanNeitherReadNorChangeAnotherTenantsBilling() {
    YearMonth month = nextMonth();
    Caller a = callers.tenant("starter");
    Caller b = callers.tenant("starter");
    billMonth(month);
    String theirs = billing.invoices(b.tenant(), null, 1).items().get(0).id();
    String mine = billing.invoices(a.tenant(), null, 1).items().get(0).id();

    for (String path :
        List.of(
            "/api/invoices/" + theirs,
            "/api/invoices/" + theirs + ".html",
            "/api/invoices/" + theirs + ".pdf")) {
      get(a, path).assertProblem(404, "not-found");
    }
    get(a, "/api/invoices/" + theirs, "Accept", "text/html").assertProblem(404, "not-found");
    get(a, "/api/invoices/" + theirs, "Accept", "application/pdf").assertProblem(404, "not-found");
    String other = b.tenant().value();
    for (String path :
        List.of(
            "/api/invoices?tenant=" + other,
            "/api/invoices?tenant_id=" + other,
            "/api/invoices?tenantId=" + other)) {
      assertThat(get(a, path).assertStatus(200).json().get("items"))
          .extracting(i -> i.get("id").asText())
          .containsExactly(mine);
    }
    assertThat(get(a, "/api/subscription?tenant=" + other).json().get("tenantId").asText())
        .isEqualTo(a.tenant().value());
    assertThat(
            get(a, "/api/billing/invoice?period=monthly&tenant=" + other)
                .json()
                .at("/invoice/tenant")
                .asText())
        .isEqualTo(a.tenant().value());
    get(a, "/api/invoices?cursor=" + theirs).assertProblem(400, "invalid-input");

    // A change names no tenant but the caller's, whatever the parameters or headers say.
    http.send(
            "POST",
            "/api/subscription/change?tenant=" + other,
            "{\"plan\": \"professional\"}",
            "Authorization",
            a.bearer(),
            "X-Tenant-ID",
            other)
        .assertStatus(200);
    assertThat(billing.subscription(a.tenant()).orElseThrow().planId()).isEqualTo("professional");
    assertThat(billing.subscription(b.tenant()).orElseThrow().planId()).isEqualTo("starter");

    // The operator routes refuse tenant keys; naming the wrong tenant finds nothing.
    for (String[] route :
        List.of(
            new String[] {"POST", "/admin/invoices/" + theirs + "/void?tenant=" + other},
            new String[] {"POST", "/admin/invoices/" + theirs + "/credit-notes?tenant=" + other},
            new String[] {"GET", "/admin/invoices?tenant=" + other},
            new String[] {"POST", "/admin/billing/runs?period=" + month})) {
      assertThat(
              http.send(route[0], route[1], "{\"whole\": true}", "Authorization", a.bearer())
                  .assertClientProblem()
                  .status())
          .isEqualTo(401);
    }
    admin("POST", "/admin/invoices/" + theirs + "/void?tenant=" + a.tenant().value(), null)
        .assertProblem(404, "not-found");
    admin(
            "POST",
            "/admin/invoices/" + theirs + "/credit-notes?tenant=" + a.tenant().value(),
            "{\"whole\": true, \"method\": \"credit\", \"reason\": \"other\"}")
        .assertProblem(404, "not-found");
    assertThat(billing.invoice(b.tenant(), theirs).status()).isEqualTo(InvoiceStatus.FINALIZED);
    assertThat(billing.creditNotes(b.tenant(), theirs)).isEmpty();
  }

  @Test
  void badInputIsA4xxProblemAndWritesNothing() {
    YearMonth month = nextMonth();
    Caller a = callers.tenant("starter");
    for (String body :
        List.of(
            "{\"plan\": ",
            "{\"plan\": \"gold\"}",
            "{\"plan\": \"professional\", \"extra\": 1}",
            "{\"now\": true}",
            "{\"plan\": \"starter\"}",
            "[]")) {
      http.send("POST", "/api/subscription/change", body, "Authorization", a.bearer())
          .assertClientProblem();
    }
    http.send(
            "POST", "/api/subscription/change", "{\"plan\": \"gold\"}", "Authorization", a.bearer())
        .assertProblem(400, "invalid-input");
    assertThat(billing.subscription(a.tenant()).orElseThrow().planId()).isEqualTo("starter");
    assertThat(billing.subscription(a.tenant()).orElseThrow().pending()).isNull();

    get(a, "/api/billing/invoice?period=yearly").assertProblem(400, "invalid-input");
    get(a, "/api/invoices?limit=0").assertProblem(400, "invalid-input");
    for (String period : List.of("", "2026-13", "2026-3", "march")) {
      admin("POST", "/admin/billing/runs?period=" + period, null)
          .assertProblem(400, "invalid-input");
    }
    billMonth(month);
    String mine = billing.invoices(a.tenant(), null, 1).items().get(0).id();
    String path = "/admin/invoices/" + mine + "/credit-notes?tenant=" + a.tenant().value();
    for (String body :
        List.of(
            "{",
            "{\"whole\": true, \"method\": \"cash\", \"reason\": \"other\"}",
            "{\"lines\": [{\"line\": 0, \"amount\": \"9999\"}], \"method\": \"credit\","
                + " \"reason\": \"other\"}")) {
      admin("POST", path, body).assertProblem(400, "invalid-input");
    }
    assertThat(billing.creditNotes(a.tenant(), mine)).isEmpty();
    get(a, "/api/invoices/" + mine, "Accept", "image/png").assertProblem(406, "not-acceptable");
  }

  /** Moves the clock to the first day of the month after now's and returns that month. */
  private YearMonth nextMonth() {
    YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)).plusMonths(1);
    at(month.atDay(1));
    return month;
  }

  /** Bills {@code month} over the operator API and finalizes the drafts after the grace period. */
  private void billMonth(YearMonth month) {
    at(month.plusMonths(1).atDay(1).atStartOfDay().plusMinutes(10));
    admin("POST", "/admin/billing/runs?period=" + month, null).assertStatus(202);
    clock.advance(Duration.ofDays(4));
    billing.finalizeDue();
  }

  private void at(LocalDate day) {
    at(day.atStartOfDay());
  }

  private void at(LocalDateTime time) {
    Instant target = time.toInstant(ZoneOffset.UTC);
    clock.advance(Duration.between(clock.instant(), target));
  }

  private static TimeRange range(YearMonth month) {
    return new TimeRange(
        month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
        month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
  }

  private BigDecimal latest(TenantId tenant, YearMonth month) {
    return usage.total(tenant, "files", range(month), Aggregation.LATEST);
  }

  private String upload(Caller c, String name) {
    return http.upload(
            "/api/files",
            "file",
            name,
            "text/plain",
            ("content of " + name).getBytes(StandardCharsets.UTF_8),
            "Authorization",
            c.bearer())
        .assertStatus(201)
        .json()
        .get("id")
        .asText();
  }

  private Answer get(Caller c, String path, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = c.bearer();
    System.arraycopy(headers, 0, all, 2, headers.length);
    return http.get(path, all);
  }

  private Answer admin(String method, String path, String body) {
    return http.send(method, path, body, "Authorization", "Bearer " + OPERATOR_KEY);
  }

  private static JsonNode charge(JsonNode summary, String code) {
    for (JsonNode c : summary.get("charges")) {
      if (c.get("charge").asText().equals(code)) {
        return c;
      }
    }
    return null;
  }

  private static String text(byte[] pdf) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(doc);
    }
  }
}
