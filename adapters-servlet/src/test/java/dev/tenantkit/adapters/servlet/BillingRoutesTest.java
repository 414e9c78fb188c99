package dev.tenantkit.adapters.servlet;

import static dev.tenantkit.adapters.servlet.BillingApp.ACME;
import static dev.tenantkit.adapters.servlet.BillingApp.BETA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.metering.UsageEvent;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BillingRoutesTest {
  private BillingApp app;

  @BeforeEach
  void setUp() throws Exception {
    app = new BillingApp();
  }

  @AfterEach
  void tearDown() {
    app.close();
  }

  static void assertProblem(Harness.Response r, int status, String code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.code()).isEqualTo(code);
  }

  @Nested
  class TenantRoutes {
    @Test
    void summaryOfTheCurrentPeriod() {
      // 1,010 files held against starter's 1,000: 10 extra files at $0.50.
      app.at("2026-03-10T00:00:00Z");
      app.metering
          .usageMeter()
          .record(
              UsageEvent.builder(ACME, "files")
                  .quantity(new BigDecimal("1010"))
                  .timestamp(app.clock.instant())
                  .build());
      app.metering.usageMeter().flush();
      app.at("2026-03-20T00:00:00Z");
      Harness.Response r = app.as(app.acmeKey, "GET", "/api/billing/summary", null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.header("Cache-Control")).isEqualTo("no-store");
      JsonNode body = r.json();
      assertThat(body.at("/period/start").asText()).isEqualTo("2026-03-01");
      assertThat(body.at("/period/end").asText()).isEqualTo("2026-04-01");
      assertThat(body.get("daysElapsed").asLong()).isEqualTo(20);
      assertThat(body.get("currency").asText()).isEqualTo("USD");
      assertThat(body.get("charges")).hasSize(1);
      assertThat(body.at("/charges/0/charge").asText()).isEqualTo("files_overage");
      assertThat(body.at("/charges/0/quantity").asText()).isEqualTo("10");
      assertThat(body.at("/charges/0/amount").asText()).isEqualTo("5.00");
      assertThat(body.get("amountSoFar").asText()).isEqualTo("5.00");
      // The other tenant's summary has none of it.
      assertThat(app.as(app.betaKey, "GET", "/api/billing/summary", null).json().get("charges"))
          .isEmpty();
    }

    @Test
    void theCurrentInvoiceSoFarAndTheUpcomingOneAreTheSame() {
      app.at("2026-03-20T00:00:00Z");
      Harness.Response current =
          app.as(app.acmeKey, "GET", "/api/billing/invoice?period=monthly", null);
      assertThat(current.status()).as(current.body()).isEqualTo(200);
      JsonNode invoice = current.json().get("invoice");
      assertThat(invoice.get("tenant").asText()).isEqualTo("acme");
      assertThat(invoice.get("status").asText()).isEqualTo("draft");
      assertThat(invoice.at("/issuer/name").asText()).isEqualTo("Tenantkit Ltd");
      // The starter fee of April, in advance.
      assertThat(invoice.get("lines")).extracting(l -> l.get("amount").asText()).contains("29.00");
      Harness.Response upcoming = app.as(app.acmeKey, "GET", "/api/invoices/upcoming", null);
      assertThat(upcoming.json()).isEqualTo(current.json());
      assertThat(app.as(app.acmeKey, "GET", "/api/billing/invoice", null).status()).isEqualTo(200);
    }

    @Test
    void invoicesListedAndServedAsJsonHtmlAndPdf() {
      app.billMarch();
      String id = app.invoiceOf(ACME);
      Harness.Response list = app.as(app.acmeKey, "GET", "/api/invoices?limit=10", null);
      assertThat(list.status()).as(list.body()).isEqualTo(200);
      assertThat(list.json().get("items")).hasSize(1);
      JsonNode entry = list.json().get("items").get(0);
      assertThat(entry.get("id").asText()).isEqualTo(id);
      assertThat(entry.get("status").asText()).isEqualTo("finalized");
      assertThat(entry.get("number").asText()).startsWith("TK-2026-");
      assertThat(list.json().get("nextCursor").isNull()).isTrue();

      Harness.Response json = app.as(app.acmeKey, "GET", "/api/invoices/" + id, null);
      assertThat(json.header("Content-Type")).startsWith("application/json");
      assertThat(json.json().get("id").asText()).isEqualTo(id);
      assertThat(json.json().get("total").asText()).isEqualTo(entry.get("total").asText());

      Harness.Response html =
          app.as(app.acmeKey, "GET", "/api/invoices/" + id, null, "Accept", "text/html");
      assertThat(html.header("Content-Type")).startsWith("text/html");
      assertThat(html.body()).contains(entry.get("number").asText());
      assertThat(html.header("X-Content-Type-Options")).isEqualTo("nosniff");
      Harness.Response htmlSuffix =
          app.as(app.acmeKey, "GET", "/api/invoices/" + id + ".html", null);
      assertThat(htmlSuffix.body()).isEqualTo(html.body());

      Harness.Response pdf =
          app.as(app.acmeKey, "GET", "/api/invoices/" + id, null, "Accept", "application/pdf");
      assertThat(pdf.status()).isEqualTo(200);
      assertThat(pdf.header("Content-Type")).isEqualTo("application/pdf");
      assertThat(pdf.body()).startsWith("%PDF");
      assertThat(app.as(app.acmeKey, "GET", "/api/invoices/" + id + ".pdf", null).body())
          .startsWith("%PDF");
      assertThat(
              app.as(
                      app.acmeKey,
                      "GET",
                      "/api/invoices/" + id,
                      null,
                      "Accept",
                      "application/pdf;q=0, text/html")
                  .header("Content-Type"))
          .startsWith("text/html");
    }

    @Test
    void theSubscription() {
      Harness.Response r = app.as(app.acmeKey, "GET", "/api/subscription", null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().get("plan").asText()).isEqualTo("starter");
      assertThat(r.json().get("status").asText()).isEqualTo("trial");
      assertThat(r.json().get("tenantId").asText()).isEqualTo("acme");
    }

    @Test
    void anUpgradeAppliesAtOnceWithItsProration() {
      app.at("2026-03-20T00:00:00Z");
      Harness.Response r =
          app.as(
              app.acmeKey,
              "POST",
              "/api/subscription/change",
              "{\"plan\": \"professional\", \"now\": false}");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode body = r.json();
      assertThat(body.get("kind").asText()).isEqualTo("upgrade");
      assertThat(body.get("immediate").asBoolean()).isTrue();
      // Starter $29 to professional $99 for 12 of March's 31 days, as docs/servlet.md shows.
      assertThat(body.get("remainingDays").asLong()).isEqualTo(12);
      assertThat(body.at("/credits/0/amount").asText()).isEqualTo("11.22");
      assertThat(body.at("/charges/0/amount").asText()).isEqualTo("38.32");
      assertThat(body.get("creditTotal").asText()).isEqualTo("11.22");
      assertThat(body.get("chargeTotal").asText()).isEqualTo("38.32");
      assertThat(body.get("net").asText()).isEqualTo("27.10");
      assertThat(app.billing.subscription(ACME).orElseThrow().planId()).isEqualTo("professional");
    }

    @Test
    void aPreviewAnswersTheSameChangeAndChangesNothing() {
      app.at("2026-03-20T00:00:00Z");
      Harness.Response preview =
          app.as(
              app.acmeKey,
              "POST",
              "/api/subscription/change",
              "{\"plan\": \"professional\", \"preview\": true}");
      assertThat(preview.status()).as(preview.body()).isEqualTo(200);
      assertThat(preview.json().get("applied").asBoolean()).isFalse();
      assertThat(preview.json().get("net").asText()).isEqualTo("27.10");
      assertThat(app.billing.subscription(ACME).orElseThrow().planId()).isEqualTo("starter");
    }

    @Test
    void aDowngradeWaitsForThePeriodEnd() {
      app.billing.changePlan(ACME, "professional", false);
      Harness.Response r =
          app.as(app.acmeKey, "POST", "/api/subscription/change", "{\"plan\": \"starter\"}");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().get("kind").asText()).isEqualTo("downgrade");
      assertThat(r.json().get("effectiveAt").asText()).isEqualTo("2026-04-01T00:00:00Z");
      assertThat(
              app.as(app.acmeKey, "GET", "/api/subscription", null)
                  .json()
                  .at("/pendingChange/plan")
                  .asText())
          .isEqualTo("starter");
    }

    @Test
    void aReadOnlyKeyReadsButDoesNotChange() {
      assertThat(app.as(app.acmeReadOnlyKey, "GET", "/api/subscription", null).status())
          .isEqualTo(200);
      assertProblem(
          app.as(
              app.acmeReadOnlyKey,
              "POST",
              "/api/subscription/change",
              "{\"plan\": \"professional\"}"),
          403,
          "missing-scope");
      assertThat(app.billing.subscription(ACME).orElseThrow().planId()).isEqualTo("starter");
    }
  }

  @Nested
  class OperatorRoutes {
    @Test
    void aRunIsStartedThenReadAndASecondCreatesNothing() {
      app.at("2026-04-01T00:10:00Z");
      Harness.Response started = app.admin("POST", "/billing/runs?period=2026-03", null);
      assertThat(started.status()).as(started.body()).isEqualTo(202);
      String id = started.json().get("id").asText();
      assertThat(started.header("Location")).isEqualTo("/admin/billing/runs/" + id);
      Harness.Response progress = app.admin("GET", "/billing/runs/" + id, null);
      assertThat(progress.json().get("status").asText()).isEqualTo("completed");
      assertThat(progress.json().get("invoicesCreated").asLong()).isEqualTo(2);

      Harness.Response again = app.admin("POST", "/billing/runs?period=2026-03", null);
      assertThat(
              app.admin("GET", "/billing/runs/" + again.json().get("id").asText(), null)
                  .json()
                  .get("invoicesCreated")
                  .asLong())
          .isZero();
      assertThat(app.billing.invoices(ACME, null, 10).items()).hasSize(1);
      assertProblem(app.admin("GET", "/billing/runs/nope", null), 404, "not-found");
    }

    @Test
    void invoicesAcrossTenantsByStatusAndTenantInPages() {
      app.billMarch();
      Harness.Response all = app.admin("GET", "/invoices", null);
      assertThat(all.status()).as(all.body()).isEqualTo(200);
      assertThat(all.json().get("items"))
          .extracting(i -> i.get("tenantId").asText())
          .containsExactly("acme", "beta");
      Harness.Response page = app.admin("GET", "/invoices?limit=1", null);
      assertThat(page.json().get("items")).hasSize(1);
      String cursor = page.json().get("nextCursor").asText();
      Harness.Response next = app.admin("GET", "/invoices?limit=1&cursor=" + cursor, null);
      assertThat(next.json().get("items").get(0).get("tenantId").asText()).isEqualTo("beta");
      assertThat(
              app.admin("GET", "/invoices?tenant=beta&status=finalized", null).json().get("items"))
          .extracting(i -> i.get("tenantId").asText())
          .containsExactly("beta");
      assertThat(app.admin("GET", "/invoices?status=void", null).json().get("items")).isEmpty();
    }

    @Test
    void aCreditNoteRetriedWithItsIdempotencyKeyIsStoredOnce() {
      app.billMarch();
      String acme = app.invoiceOf(ACME);
      String path = "/admin/invoices/" + acme + "/credit-notes?tenant=acme";
      String body =
          "{\"lines\": [{\"line\": 0, \"amount\": \"1.00\"}], \"method\": \"credit\","
              + " \"reason\": \"other\"}";
      Harness.Response first =
          app.as(BillingApp.OPERATOR_KEY, "POST", path, body, "Idempotency-Key", "note-7");
      assertThat(first.status()).as(first.body()).isEqualTo(201);
      Harness.Response retry =
          app.as(BillingApp.OPERATOR_KEY, "POST", path, body, "Idempotency-Key", "note-7");
      assertThat(retry.status()).as(retry.body()).isEqualTo(200);
      assertThat(retry.json().get("id").asText()).isEqualTo("note-7");
      assertThat(app.billing.creditNotes(ACME, acme)).hasSize(1);
      // Without the key, the same body is a second note.
      assertThat(app.admin("POST", path.substring("/admin".length()), body).status())
          .isEqualTo(201);
      assertThat(app.billing.creditNotes(ACME, acme)).hasSize(2);
      assertProblem(
          app.as(BillingApp.OPERATOR_KEY, "POST", path, body, "Idempotency-Key", "bad key!"),
          400,
          "invalid-input");
      // The key of a stored note with another request: refused, nothing stored.
      String other = body.replace("1.00", "2.00");
      assertProblem(
          app.as(BillingApp.OPERATOR_KEY, "POST", path, other, "Idempotency-Key", "note-7"),
          409,
          "conflict");
      // A malformed retry is a 400 even with a stored key.
      assertProblem(
          app.as(BillingApp.OPERATOR_KEY, "POST", path, "{", "Idempotency-Key", "note-7"),
          400,
          "invalid-input");
      assertThat(app.billing.creditNotes(ACME, acme)).hasSize(2);
    }

    @Test
    void voidAndCreditNote() {
      app.billMarch();
      String acme = app.invoiceOf(ACME);
      Harness.Response note =
          app.admin(
              "POST",
              "/invoices/" + acme + "/credit-notes?tenant=acme",
              "{\"whole\": true, \"method\": \"credit\", \"reason\": \"other\","
                  + " \"description\": \"goodwill\"}");
      assertThat(note.status()).as(note.body()).isEqualTo(201);
      assertThat(app.billing.creditNotes(ACME, acme)).hasSize(1);

      String beta = app.invoiceOf(BETA);
      Harness.Response voided = app.admin("POST", "/invoices/" + beta + "/void?tenant=beta", null);
      assertThat(voided.status()).as(voided.body()).isEqualTo(200);
      assertThat(voided.json().get("status").asText()).isEqualTo("void");
      assertThat(app.billing.invoice(BETA, beta).status()).isEqualTo(InvoiceStatus.VOID);
      assertProblem(
          app.admin("POST", "/invoices/" + beta + "/void?tenant=beta", null),
          409,
          "invalid-invoice-state");
    }

    @Test
    void revenue() {
      app.billMarch();
      Harness.Response r = app.admin("GET", "/revenue?from=2026-03&to=2026-04", null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().get("recurring").get(0).get("currency").asText()).isEqualTo("USD");
      assertThat(r.json().get("byMonth")).isNotNull();
      assertThat(r.json().get("receivables")).isNotNull();
      assertThat(app.admin("GET", "/revenue", null).status()).isEqualTo(200);
    }
  }

  @Nested
  class CrossTenant {
    @Test
    void anotherTenantsInvoiceIsNotFoundInEveryForm() {
      app.billMarch();
      String theirs = app.invoiceOf(BETA);
      for (String path :
          List.of(
              "/api/invoices/" + theirs,
              "/api/invoices/" + theirs + ".html",
              "/api/invoices/" + theirs + ".pdf")) {
        assertProblem(app.as(app.acmeKey, "GET", path, null), 404, "not-found");
      }
      assertProblem(
          app.as(app.acmeKey, "GET", "/api/invoices/" + theirs, null, "Accept", "text/html"),
          404,
          "not-found");
      assertProblem(app.as(app.acmeKey, "GET", "/api/invoices/nope", null), 404, "not-found");
    }

    @Test
    void parametersNeverChooseTheTenant() {
      app.billMarch();
      String mine = app.invoiceOf(ACME);
      for (String path :
          List.of(
              "/api/invoices?tenant=beta",
              "/api/invoices?tenant_id=beta",
              "/api/invoices?tenantId=beta")) {
        Harness.Response r = app.as(app.acmeKey, "GET", path, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("items"))
            .extracting(i -> i.get("id").asText())
            .containsExactly(mine);
      }
      assertThat(
              app.as(app.acmeKey, "GET", "/api/subscription?tenant=beta", null)
                  .json()
                  .get("tenantId")
                  .asText())
          .isEqualTo("acme");
      assertThat(
              app.as(app.acmeKey, "GET", "/api/billing/invoice?tenant=beta", null)
                  .json()
                  .at("/invoice/tenant")
                  .asText())
          .isEqualTo("acme");
      // Another tenant's invoice id as a cursor is no cursor of the caller's listing.
      assertProblem(
          app.as(app.acmeKey, "GET", "/api/invoices?cursor=" + app.invoiceOf(BETA), null),
          400,
          "invalid-input");
    }

    @Test
    void noParameterOrHeaderChoosesTheTenantOfAReadRoute() {
      app.billMarch();
      // Beta's subscription differs from acme's, so an answer about beta would differ.
      app.billing.changePlan(BETA, "professional", true);
      for (String path :
          List.of(
              "/api/billing/summary",
              "/api/billing/invoice",
              "/api/invoices/upcoming",
              "/api/invoices",
              "/api/subscription")) {
        Harness.Response own = app.as(app.acmeKey, "GET", path, null);
        assertThat(own.status()).as(path + " " + own.body()).isEqualTo(200);
        for (Harness.Response other :
            List.of(
                app.as(app.acmeKey, "GET", path + "?tenant=beta", null),
                app.as(app.acmeKey, "GET", path + "?tenantId=beta&tenant_id=beta", null),
                app.as(app.acmeKey, "GET", path, null, "X-Tenant-ID", "beta"))) {
          assertThat(other.status()).as(path).isEqualTo(200);
          assertThat(other.body()).as(path).isEqualTo(own.body());
        }
      }
      assertThat(app.as(app.acmeKey, "GET", "/api/subscription", null).json().get("plan").asText())
          .isEqualTo("starter");
    }

    @Test
    void aChangeAppliesToTheCallersSubscriptionOnly() {
      Harness.Response r =
          app.as(
              app.acmeKey,
              "POST",
              "/api/subscription/change?tenant=beta",
              "{\"plan\": \"professional\"}");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(app.billing.subscription(ACME).orElseThrow().planId()).isEqualTo("professional");
      assertThat(app.billing.subscription(BETA).orElseThrow().planId()).isEqualTo("starter");
    }

    @Test
    void operatorRoutesRefuseTenantKeys() {
      app.billMarch();
      String theirs = app.invoiceOf(BETA);
      for (String[] route :
          List.of(
              new String[] {"POST", "/admin/billing/runs?period=2026-03"},
              new String[] {"GET", "/admin/billing/runs/x"},
              new String[] {"GET", "/admin/invoices?tenant=beta"},
              new String[] {"POST", "/admin/invoices/" + theirs + "/void?tenant=beta"},
              new String[] {"POST", "/admin/invoices/" + theirs + "/credit-notes?tenant=beta"},
              new String[] {"GET", "/admin/revenue"})) {
        assertProblem(app.http.send(route[0], route[1], null, null), 401, "missing-credential");
        assertProblem(
            app.as(app.acmeKey, route[0], route[1], "{\"whole\": true}"),
            401,
            "invalid-credential");
      }
      assertThat(app.billing.invoice(BETA, theirs).status()).isEqualTo(InvoiceStatus.FINALIZED);
      assertThat(app.billing.creditNotes(BETA, theirs)).isEmpty();
    }

    @Test
    void theOperatorNamesTheRightTenantOrFindsNothing() {
      app.billMarch();
      String theirs = app.invoiceOf(BETA);
      assertProblem(
          app.admin("POST", "/invoices/" + theirs + "/void?tenant=acme", null), 404, "not-found");
      assertProblem(
          app.admin(
              "POST",
              "/invoices/" + theirs + "/credit-notes?tenant=acme",
              "{\"whole\": true, \"method\": \"credit\", \"reason\": \"other\"}"),
          404,
          "not-found");
      assertThat(app.billing.invoice(BETA, theirs).status()).isEqualTo(InvoiceStatus.FINALIZED);
      assertThat(app.billing.creditNotes(BETA, theirs)).isEmpty();
    }

    @Test
    void noTenantNoBilling() {
      assertProblem(app.http.get("/api/billing/summary"), 401, "missing-credential");
    }
  }

  @Nested
  class BadInput {
    @Test
    void aChangeWithBadInputWritesNothing() {
      String[][] cases = {
        {"{\"plan\": ", "invalid-input"},
        {"{\"plan\": \"professional\", \"extra\": 1}", "invalid-input"},
        {"{\"plan\": \"gold\"}", "invalid-input"},
        {"{\"plan\": \"professional\", \"now\": \"yes\"}", "invalid-input"},
        {"{\"now\": true}", "invalid-input"},
        {"{\"plan\": \"starter\"}", "invalid-input"},
        {"[]", "invalid-input"},
      };
      for (String[] c : cases) {
        Harness.Response r = app.as(app.acmeKey, "POST", "/api/subscription/change", c[0]);
        assertThat(r.status()).as(c[0] + " -> " + r.body()).isBetween(400, 404);
        assertThat(r.code()).as(c[0]).isEqualTo(c[1]);
      }
      assertProblem(
          app.http.send(
              "POST",
              "/api/subscription/change",
              "text/plain",
              "plan=professional",
              "Authorization",
              "Bearer " + app.acmeKey),
          415,
          "unsupported-media-type");
      assertThat(app.billing.subscription(ACME).orElseThrow().planId()).isEqualTo("starter");
      assertThat(app.billing.subscription(ACME).orElseThrow().pending()).isNull();
    }

    @Test
    void aPlanInAnotherCurrencyIs400AndChangesNothing() {
      PlanPrices usd = PriceCatalog.defaults().requirePrices("professional");
      app.plans.publish(
          "professional",
          new PlanPrices(Currency.getInstance("EUR"), usd.interval(), usd.charges()));
      app.at("2026-03-20T00:00:00Z");
      assertProblem(
          app.as(app.acmeKey, "POST", "/api/subscription/change", "{\"plan\": \"professional\"}"),
          400,
          "invalid-input");
      assertThat(app.billing.subscription(ACME).orElseThrow().planId()).isEqualTo("starter");
    }

    @Test
    void badParametersAndAccept() {
      app.billMarch();
      String mine = app.invoiceOf(ACME);
      assertProblem(
          app.as(app.acmeKey, "GET", "/api/billing/invoice?period=yearly", null),
          400,
          "invalid-input");
      assertProblem(
          app.as(app.acmeKey, "GET", "/api/invoices?limit=0", null), 400, "invalid-input");
      assertProblem(
          app.as(app.acmeKey, "GET", "/api/invoices/" + mine, null, "Accept", "image/png"),
          406,
          "not-acceptable");
      assertProblem(
          app.as(app.acmeKey, "POST", "/api/billing/summary", null), 405, "method-not-allowed");
      assertProblem(
          app.as(app.acmeKey, "GET", "/api/billing/nothing", null), 404, "route-not-found");
      assertProblem(
          app.as(app.acmeKey, "GET", "/api/subscription/change", null), 405, "method-not-allowed");
    }

    @Test
    void badOperatorInputWritesNothing() {
      app.billMarch();
      String mine = app.invoiceOf(ACME);
      // The clock is in April 2026: a month not started yet, or before 2000, is no period to bill.
      for (String period :
          List.of("", "2026-13", "2026-3", "march", "2026-05", "9999-12", "1999-12")) {
        assertProblem(
            app.admin("POST", "/billing/runs?period=" + period, null), 400, "invalid-input");
      }
      assertProblem(app.admin("GET", "/invoices?status=lost", null), 400, "invalid-input");
      assertProblem(app.admin("GET", "/invoices?cursor=nocolon", null), 400, "invalid-input");
      assertProblem(app.admin("POST", "/invoices/" + mine + "/void", null), 400, "invalid-input");
      Harness.Response backwards = app.admin("GET", "/revenue?from=2026-05&to=2026-04", null);
      assertProblem(backwards, 400, "invalid-input");
      assertThat(backwards.body()).contains("must not be after");
      String path = "/invoices/" + mine + "/credit-notes?tenant=acme";
      for (String body :
          List.of(
              "{",
              "{\"whole\": true, \"method\": \"credit\"}",
              "{\"whole\": true, \"method\": \"cash\", \"reason\": \"other\"}",
              "{\"whole\": true, \"method\": \"credit\", \"reason\": \"other\", \"x\": 1}",
              "{\"method\": \"credit\", \"reason\": \"other\"}",
              "{\"lines\": [{\"line\": 0, \"amount\": 5}], \"method\": \"credit\", \"reason\": \"other\"}",
              "{\"lines\": [{\"line\": 9, \"amount\": \"5\"}], \"method\": \"credit\", \"reason\": \"other\"}",
              "{\"lines\": [{\"line\": 0, \"amount\": \"-5\"}], \"method\": \"credit\", \"reason\": \"other\"}",
              "{\"lines\": [{\"line\": 0, \"amount\": \"9999\"}], \"method\": \"credit\", \"reason\": \"other\"}")) {
        Harness.Response r = app.admin("POST", path, body);
        assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
        assertThat(r.code()).as(body).isEqualTo("invalid-input");
      }
      assertProblem(
          app.admin(
              "POST", path, "{\"whole\": true, \"method\": \"refund\", \"reason\": \"other\"}"),
          409,
          "invalid-invoice-state");
      assertThat(app.billing.creditNotes(ACME, mine)).isEmpty();
      assertThat(app.billing.invoice(ACME, mine).status()).isEqualTo(InvoiceStatus.FINALIZED);
    }
  }
}
