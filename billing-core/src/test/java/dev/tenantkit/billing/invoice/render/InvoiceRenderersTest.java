package dev.tenantkit.billing.invoice.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.BillTo;
import dev.tenantkit.billing.invoice.Coupon;
import dev.tenantkit.billing.invoice.CouponRedemption;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.CreditNoteMethod;
import dev.tenantkit.billing.invoice.CreditNoteReason;
import dev.tenantkit.billing.invoice.CreditNoteRequest;
import dev.tenantkit.billing.invoice.CreditNotes;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceCalculator;
import dev.tenantkit.billing.invoice.InvoiceNumber;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.Fee;
import dev.tenantkit.billing.price.FeeStep;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.PriceModel;
import dev.tenantkit.billing.price.StandardPrice;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.tenancy.TenantId;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class InvoiceRenderersTest {
  static final Issuer ISSUER =
      new Issuer("Tenantkit Ltd", List.of("1 Main Street", "Springfield"), "GB123456789", "TK");
  static final BillTo ACME =
      new BillTo("Acme Corp", List.of("42 Road Runner Way"), "US-99", "billing@acme.test");

  /** Two tiers, to show that a line priced in steps prints each step. */
  static final PriceModel TWO_TIERS =
      new PriceModel() {
        @Override
        public String type() {
          return "test_tiers";
        }

        @Override
        public Fee price(Usage usage) {
          BigDecimal first = usage.quantity().min(BigDecimal.valueOf(100));
          BigDecimal rest = usage.quantity().subtract(first);
          BigDecimal a1 = first.multiply(new BigDecimal("0.10"));
          BigDecimal a2 = rest.multiply(new BigDecimal("0.05")).add(BigDecimal.ONE);
          return new Fee(
              a1.add(a2),
              List.of(
                  new FeeStep("tier 1 (0-100)", first, new BigDecimal("0.10"), BigDecimal.ZERO, a1),
                  new FeeStep("tier 2 (100-)", rest, new BigDecimal("0.05"), BigDecimal.ONE, a2)));
        }
      };

  static Invoice invoice(String currency) {
    return InvoiceCalculator.standard()
        .calculate(
            InvoiceRequest.builder(
                    "inv-42",
                    TenantId.of("acme"),
                    Money.currency(currency),
                    InvoicePeriod.month(2026, 1),
                    LocalDate.of(2026, 2, 1))
                .usage(Charge.flat("starter", new FlatPrice(new BigDecimal("29"))), Usage.NONE)
                .description("starter", "Starter plan, January 2026")
                .usage(
                    Charge.usage(
                        "api_calls",
                        "api_calls",
                        Aggregation.SUM,
                        new StandardPrice(new BigDecimal("0.0001"))),
                    Usage.of(1250))
                .description("api_calls", "API calls")
                .usage(
                    Charge.usage("storage", "storage", Aggregation.SUM, TWO_TIERS), Usage.of(300))
                .description("storage", "Storage <GB>")
                .coupon(
                    CouponRedemption.fresh(
                        Coupon.fixed("WELCOME", Money.of("5", currency), Coupon.Duration.ONCE, 0)))
                .prepaidBalance(Money.of("3", currency))
                .build())
        .finalizeAs(new InvoiceNumber("TK", 2026, 42), LocalDate.of(2026, 2, 1));
  }

  @Test
  void jsonHasStableFieldsAndAmountsAsStringsWithTheCurrencysDecimals() throws IOException {
    byte[] bytes = InvoiceRenderer.json().render(new InvoiceDocument(invoice("USD"), ISSUER, ACME));
    JsonNode json = new ObjectMapper().readTree(bytes);
    assertThat(json.path("number").asText()).isEqualTo("TK-2026-000042");
    assertThat(json.path("status").asText()).isEqualTo("finalized");
    assertThat(json.path("currency").asText()).isEqualTo("USD");
    assertThat(json.path("period").path("start").asText()).isEqualTo("2026-01-01");
    assertThat(json.path("period").path("end").asText()).isEqualTo("2026-02-01");
    assertThat(json.path("due_date").asText()).isEqualTo("2026-03-03");
    assertThat(json.path("issuer").path("tax_id").asText()).isEqualTo("GB123456789");
    assertThat(json.path("bill_to").path("name").asText()).isEqualTo("Acme Corp");
    JsonNode calls = json.path("lines").get(1);
    assertThat(calls.path("quantity").asText()).isEqualTo("1250");
    assertThat(calls.path("unit_price").asText()).isEqualTo("0.0001");
    assertThat(calls.path("precise_amount").asText()).isEqualTo("0.125");
    assertThat(calls.path("amount").isTextual()).isTrue();
    assertThat(calls.path("amount").asText()).isEqualTo("0.13");
    JsonNode storage = json.path("lines").get(2);
    assertThat(storage.path("unit_price").isNull()).isTrue();
    assertThat(storage.path("steps").get(1).path("flat_fee").asText()).isEqualTo("1.00");
    assertThat(storage.path("amount").asText()).isEqualTo("21.00");
    // 29 + 0.13 + 21 = 50.13; less 5 = 45.13; tax 4.513 -> 4.51; total 49.64; wallet 3.
    assertThat(json.path("subtotal").asText()).isEqualTo("50.13");
    assertThat(json.path("discounts").get(0).path("amount").asText()).isEqualTo("5.00");
    assertThat(json.path("taxes").get(0).path("rate").asText()).isEqualTo("10");
    assertThat(json.path("taxes").get(0).path("base").asText()).isEqualTo("45.13");
    assertThat(json.path("tax_total").asText()).isEqualTo("4.51");
    assertThat(json.path("total").asText()).isEqualTo("49.64");
    assertThat(json.path("prepaid_credits_applied").asText()).isEqualTo("3.00");
    assertThat(json.path("amount_due").asText()).isEqualTo("46.64");
  }

  @Test
  void jsonAmountsFollowTheCurrency() throws IOException {
    JsonNode yen =
        new ObjectMapper()
            .readTree(
                InvoiceRenderer.json().render(new InvoiceDocument(invoice("JPY"), ISSUER, ACME)));
    assertThat(yen.path("lines").get(0).path("amount").asText()).isEqualTo("29");
    assertThat(yen.path("lines").get(1).path("amount").asText()).isEqualTo("0");
    JsonNode dinar =
        new ObjectMapper()
            .readTree(
                InvoiceRenderer.json().render(new InvoiceDocument(invoice("KWD"), ISSUER, ACME)));
    assertThat(dinar.path("lines").get(1).path("amount").asText()).isEqualTo("0.125");
    assertThat(dinar.path("subtotal").asText()).isEqualTo("50.125");
  }

  @Test
  void htmlEscapesEveryTenantSuppliedString() {
    BillTo evil =
        new BillTo(
            "<script>alert('x')</script>",
            List.of("<img src=x onerror=alert(1)>"),
            "\"><b>",
            "a@b.test");
    String html =
        new String(
            InvoiceRenderer.html().render(new InvoiceDocument(invoice("USD"), ISSUER, evil)),
            StandardCharsets.UTF_8);
    assertThat(html).doesNotContain("<script>").doesNotContain("<img").doesNotContain("\"><b>");
    assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;");
    assertThat(html).contains("Storage &lt;GB&gt;");
    assertThat(html).contains("Invoice TK-2026-000042");
    assertThat(html).contains("tier 2 (100-): 200 x 0.05 + 1.00 = 11.00");
    assertThat(html).contains("49.64 USD").contains("46.64 USD");
    assertThat(InvoiceRenderer.html().mediaType()).startsWith("text/html");
  }

  @Test
  void pdfReadsBackWithTheLinesAndTotals() throws IOException {
    byte[] pdf = InvoiceRenderer.pdf().render(new InvoiceDocument(invoice("USD"), ISSUER, ACME));
    String text = text(pdf);
    assertThat(text)
        .contains("Invoice TK-2026-000042")
        .contains("Tenantkit Ltd")
        .contains("GB123456789")
        .contains("Acme Corp")
        .contains("Starter plan, January 2026")
        .contains("API calls")
        .contains("1250")
        .contains("0.0001")
        .contains("tier 1 (0-100): 100 x 0.10 = 10.00")
        .contains("Subtotal")
        .contains("50.13 USD")
        .contains("Discount WELCOME: 5.00 USD off")
        .contains("4.51 USD")
        .contains("Total")
        .contains("49.64 USD")
        .contains("Amount due")
        .contains("46.64 USD");
  }

  @Test
  void pdfPrintsWhatItsFontCannotAsQuestionMarksAndAddsPages() throws IOException {
    BillTo tokyo = new BillTo("東京 Trading\n", List.of("Café ñ"), "", "");
    InvoiceRequest.Builder b =
        InvoiceRequest.builder(
            "inv-long",
            TenantId.of("tokyo"),
            Money.currency("JPY"),
            InvoicePeriod.month(2026, 1),
            LocalDate.of(2026, 2, 1));
    for (int i = 0; i < 120; i++) {
      b.usage(Charge.flat("c" + i, new FlatPrice(BigDecimal.TEN)), Usage.NONE);
    }
    byte[] pdf =
        InvoiceRenderer.pdf()
            .render(
                new InvoiceDocument(
                    InvoiceCalculator.standard().calculate(b.build()), ISSUER, tokyo));
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertThat(doc.getNumberOfPages()).isGreaterThan(1);
    }
    String text = text(pdf);
    assertThat(text).contains("?? Trading?").contains("Café ñ").contains("Draft invoice");
    assertThat(text).contains("1320 JPY");
  }

  @Test
  void creditNotesRenderToJsonWithTheSameConventions() throws IOException {
    Invoice invoice = invoice("KWD");
    CreditNote note =
        CreditNotes.issue(
            invoice,
            List.of(),
            CreditNoteRequest.lines(
                "cn-1",
                LocalDate.of(2026, 2, 10),
                CreditNoteReason.DUPLICATED_CHARGE,
                "API calls billed twice",
                CreditNoteMethod.CREDIT_BACK,
                Map.of(1, Money.of("0.1", "KWD"))));
    JsonNode json = new ObjectMapper().readTree(CreditNoteRenderer.json().render(note));
    assertThat(json.path("invoice_number").asText()).isEqualTo("TK-2026-000042");
    assertThat(json.path("reason").asText()).isEqualTo("duplicated_charge");
    assertThat(json.path("method").asText()).isEqualTo("credit_back");
    assertThat(json.path("items").get(0).path("line").asInt()).isEqualTo(1);
    assertThat(json.path("items").get(0).path("amount").asText()).isEqualTo("0.100");
    assertThat(json.path("tax_total").asText()).isEqualTo("0.010");
    assertThat(json.path("total").asText()).isEqualTo("0.110");
  }

  static String text(byte[] pdf) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(doc);
    }
  }
}
