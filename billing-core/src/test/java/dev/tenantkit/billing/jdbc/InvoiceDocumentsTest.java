package dev.tenantkit.billing.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Coupon;
import dev.tenantkit.billing.invoice.CouponRedemption;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceCalculator;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.InvoiceNumber;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.GraduatedPrice;
import dev.tenantkit.billing.price.PercentagePrice;
import dev.tenantkit.billing.price.StandardPrice;
import dev.tenantkit.billing.price.Tier;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.tenancy.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The stored form of an invoice: explicit, versioned, and read back equal. */
class InvoiceDocumentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GOLDEN = "invoice-schema-v1.json";

  private static BigDecimal d(String text) {
    return new BigDecimal(text);
  }

  private static Money usd(String amount) {
    return Money.of(amount, "USD");
  }

  /**
   * An invoice with every kind of line and adjustment: a flat fee with a charge discount, graduated
   * tiers with flat fees (steps), a per-unit charge with a spending minimum true-up, a percentage
   * of transactions, a correction line for usage that arrived after finalization, a line taxed at
   * its own rate, a percentage and a fixed coupon, tax at two rates, credit notes and prepaid
   * credit applied; finalized with its number.
   */
  static Invoice everyKindOfLine() {
    InvoicePeriod january = InvoicePeriod.month(2026, 1);
    Invoice draft =
        InvoiceCalculator.standard()
            .calculate(
                InvoiceRequest.builder(
                        "inv-golden",
                        TenantId.of("acme"),
                        Money.currency("USD"),
                        january,
                        january.end())
                    .usage(
                        Charge.flat("subscription", new FlatPrice(d("99")))
                            .withDiscountPercent(d("10")),
                        Usage.NONE)
                    .usage(
                        Charge.usage(
                            "api_calls",
                            "api_calls",
                            Aggregation.SUM,
                            GraduatedPrice.of(
                                Tier.perUnit("0", "1000", "0.01", "2"),
                                Tier.perUnit("1000", null, "0.005", "1"))),
                        Usage.of(d("2500.5")))
                    .usage(
                        Charge.usage(
                                "storage",
                                "storage_bytes",
                                Aggregation.MAX,
                                new StandardPrice(d("0.333")))
                            .withMinimum(d("5")),
                        Usage.of(d("3")))
                    .usage(
                        Charge.usage(
                            "payments",
                            "payments",
                            Aggregation.SUM,
                            new PercentagePrice(d("1.2"), d("0.10"), 1, null, null, null)),
                        Usage.transactions(List.of(d("200"), d("100"), d("50.25"))))
                    .extraLine(
                        InvoiceLine.ofAmount(
                            "correction",
                            "Late usage of December 2025",
                            d("1.234"),
                            Money.currency("USD"),
                            TaxRate.DEFAULT))
                    .chargeTaxRate("storage", TaxRate.of("20"))
                    .coupon(
                        CouponRedemption.fresh(
                            Coupon.percent("WELCOME", d("5"), Coupon.Duration.ONCE, 0)))
                    .coupon(
                        CouponRedemption.fresh(
                            Coupon.fixed("TEN", usd("10"), Coupon.Duration.FOREVER, 0)))
                    .creditBalance(usd("7.5"))
                    .prepaidBalance(usd("20"))
                    .build());
    return draft.finalizeAs(new InvoiceNumber("TK", 2026, 42), LocalDate.of(2026, 2, 3));
  }

  @Test
  void theExampleHasEveryKindOfLine() {
    Invoice i = everyKindOfLine();
    assertThat(i.lines()).hasSize(5);
    assertThat(i.lines()).anySatisfy(l -> assertThat(l.steps()).hasSizeGreaterThan(1));
    assertThat(i.lines()).anySatisfy(l -> assertThat(l.chargeDiscount().signum()).isPositive());
    assertThat(i.lines()).anySatisfy(l -> assertThat(l.minimumTrueUp().signum()).isPositive());
    assertThat(i.lines()).anySatisfy(l -> assertThat(l.chargeCode()).isEqualTo("correction"));
    assertThat(i.lines()).anySatisfy(l -> assertThat(l.unitPrice()).isNull());
    assertThat(i.discounts()).hasSize(2);
    assertThat(i.taxLines()).hasSize(2);
    assertThat(i.creditNotesApplied().isZero()).isFalse();
    assertThat(i.prepaidCreditsApplied().isZero()).isFalse();
    assertThat(i.number()).isNotNull();
  }

  @Test
  void everyKindOfLineReadsBackEqual() {
    Invoice invoice = everyKindOfLine();
    String stored = InvoiceDocuments.write(invoice);
    assertThat(InvoiceDocuments.read(1, stored)).isEqualTo(invoice);
    // A draft (no number) and a voided invoice too.
    Invoice voided = invoice.moveTo(InvoiceStatus.VOID);
    assertThat(InvoiceDocuments.read(1, InvoiceDocuments.write(voided))).isEqualTo(voided);
  }

  /**
   * A stored invoice checked in as it was written by schema version 1: it must still read, to the
   * same invoice, and this build must write that invoice to the same document. A change that fails
   * here changes the stored form: it needs a new schema version (and a reader for this one).
   */
  @Test
  void theGoldenStoredInvoiceStillReads() throws IOException {
    String golden = resource(GOLDEN);
    Invoice read = InvoiceDocuments.read(1, golden);

    assertThat(read.id()).isEqualTo("inv-golden");
    assertThat(read.number()).hasToString("TK-2026-000042");
    assertThat(read.status()).isEqualTo(InvoiceStatus.FINALIZED);
    assertThat(read.period()).isEqualTo(InvoicePeriod.month(2026, 1));
    assertThat(read.lines())
        .extracting(InvoiceLine::chargeCode)
        .containsExactly("subscription", "api_calls", "storage", "payments", "correction");
    assertThat(read.taxLines()).hasSize(2);
    assertThat(read.discounts()).hasSize(2);
    assertThat(read.amountDue()).isEqualTo(everyKindOfLine().amountDue());
    assertThat(read).isEqualTo(everyKindOfLine());
    assertThat(JSON.readTree(InvoiceDocuments.write(read))).isEqualTo(JSON.readTree(golden));
  }

  @Test
  void anotherSchemaVersionIsRefused() throws IOException {
    String golden = resource(GOLDEN);
    assertThatThrownBy(() -> InvoiceDocuments.read(0, golden))
        .isInstanceOfSatisfying(
            StoredDocumentException.class, e -> assertThat(e.schemaVersion()).isZero())
        .hasMessageContaining("before stored documents had a schema version");
    assertThatThrownBy(() -> InvoiceDocuments.read(2, golden))
        .isInstanceOf(StoredDocumentException.class)
        .hasMessageContaining("a newer build");
  }

  @Test
  void aDocumentNotOfItsVersionsFormIsRefused() throws IOException {
    ObjectNode golden = (ObjectNode) JSON.readTree(resource(GOLDEN));

    ObjectNode renamed = golden.deepCopy();
    renamed.set("amountDue", renamed.remove("amount_due"));
    assertThatThrownBy(() -> InvoiceDocuments.read(1, renamed.toString()))
        .isInstanceOf(StoredDocumentException.class)
        .hasMessageContaining("stored invoice inv-golden")
        .hasMessageContaining("amountDue is not a field of this schema version");

    ObjectNode wrongTotal = golden.deepCopy();
    wrongTotal.put("total", "1.00");
    assertThatThrownBy(() -> InvoiceDocuments.read(1, wrongTotal.toString()))
        .isInstanceOf(StoredDocumentException.class)
        .hasMessageContaining("total");

    ObjectNode doubleAmount = golden.deepCopy();
    doubleAmount.put("subtotal", 1.5);
    assertThatThrownBy(() -> InvoiceDocuments.read(1, doubleAmount.toString()))
        .isInstanceOf(StoredDocumentException.class)
        .hasMessageContaining("subtotal is a string");

    assertThatThrownBy(() -> InvoiceDocuments.read(1, "{\"id\":"))
        .isInstanceOf(StoredDocumentException.class)
        .hasMessageContaining("not well-formed JSON");
  }

  @Test
  void fieldNamesAreTheDocumentedOnes() throws IOException {
    JsonNode stored = JSON.readTree(InvoiceDocuments.write(everyKindOfLine()));
    assertThat(stored.fieldNames())
        .toIterable()
        .containsExactly(
            "id",
            "tenant",
            "number",
            "currency",
            "period",
            "status",
            "issue_date",
            "due_date",
            "lines",
            "discounts",
            "tax_lines",
            "credit_notes_applied",
            "prepaid_credits_applied",
            "subtotal",
            "discount_total",
            "tax_total",
            "total",
            "amount_due");
  }

  static String resource(String name) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            InvoiceDocumentsTest.class.getResourceAsStream(name), "test resource " + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
