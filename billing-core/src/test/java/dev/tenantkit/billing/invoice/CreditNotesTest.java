package dev.tenantkit.billing.invoice;

import static dev.tenantkit.billing.invoice.InvoiceCalculatorTest.flat;
import static dev.tenantkit.billing.invoice.InvoiceCalculatorTest.perUnit;
import static dev.tenantkit.billing.invoice.InvoiceCalculatorTest.request;
import static dev.tenantkit.billing.invoice.InvoiceCalculatorTest.units;
import static dev.tenantkit.billing.invoice.InvoiceCalculatorTest.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreditNotesTest {
  static final LocalDate DAY = LocalDate.of(2026, 2, 10);
  static final InvoiceNumber NUMBER = new InvoiceNumber("TK", 2026, 7);

  static Invoice finalized(InvoiceRequest request) {
    return InvoiceCalculator.standard().calculate(request).finalizeAs(NUMBER, DAY);
  }

  static CreditNoteRequest whole(String id, CreditNoteMethod method) {
    return CreditNoteRequest.whole(id, DAY, CreditNoteReason.OTHER, "", method);
  }

  static CreditNoteRequest lines(String id, Map<Integer, Money> amounts) {
    return CreditNoteRequest.lines(
        id, DAY, CreditNoteReason.DUPLICATED_CHARGE, "", CreditNoteMethod.CREDIT_BACK, amounts);
  }

  @Test
  void aWholeCreditNoteCreditsTheInvoiceExactly() {
    Invoice invoice =
        finalized(
            request("USD")
                .usage(flat("base", "100"), Usage.NONE)
                .usage(perUnit("books", "1"), units("50"))
                .chargeTaxRate("books", TaxRate.of("5.5"))
                .taxRate(TaxRate.of("20"))
                .coupon(
                    CouponRedemption.fresh(Coupon.fixed("OFF", usd("15"), Coupon.Duration.ONCE, 0)))
                .build());
    CreditNote note =
        CreditNotes.issue(invoice, List.of(), whole("cn-1", CreditNoteMethod.CREDIT_BACK));
    assertThat(note.items())
        .extracting(CreditNoteItem::amount)
        .containsExactly(usd("90"), usd("45"));
    assertThat(note.taxTotal()).isEqualTo(invoice.taxTotal());
    assertThat(note.total()).isEqualTo(invoice.total());
    assertThat(note.creditedBack()).isEqualTo(invoice.total());
    assertThat(note.refunded()).isEqualTo(usd("0"));
    assertThat(note.invoiceNumber()).isEqualTo(NUMBER);
    assertThatThrownBy(
            () ->
                CreditNotes.issue(
                    invoice, List.of(note), whole("cn-2", CreditNoteMethod.CREDIT_BACK)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nothing is left");
  }

  /**
   * Three lines of 0.33 at 10%: the invoice's tax is 0.10 (0.099 rounded once). Crediting the lines
   * one by one gives 0.03, 0.03 and then exactly the 0.04 left, never 0.09 in all.
   */
  @Test
  void notesPerLineAddUpToTheInvoiceToTheCent() {
    InvoiceRequest.Builder b = request("USD");
    for (int i = 0; i < 3; i++) {
      b.usage(perUnit("c" + i, "0.33"), units("1"));
    }
    Invoice invoice = finalized(b.build());
    assertThat(invoice.taxTotal()).isEqualTo(usd("0.10"));
    List<CreditNote> notes = new ArrayList<>();
    notes.add(CreditNotes.issue(invoice, notes, lines("cn-1", Map.of(0, usd("0.33")))));
    notes.add(CreditNotes.issue(invoice, notes, lines("cn-2", Map.of(1, usd("0.33")))));
    notes.add(CreditNotes.issue(invoice, notes, whole("cn-3", CreditNoteMethod.CREDIT_BACK)));
    assertThat(notes)
        .extracting(CreditNote::taxTotal)
        .containsExactly(usd("0.03"), usd("0.03"), usd("0.04"));
    assertThat(notes.stream().map(CreditNote::total).reduce(usd("0"), Money::plus))
        .isEqualTo(invoice.total());
  }

  @Test
  void aLineIsCreditedAtMostWhatIsLeftOnIt() {
    Invoice invoice =
        finalized(
            request("USD")
                .usage(flat("base", "29"), Usage.NONE)
                .usage(perUnit("calls", "0.01"), units("500"))
                .build());
    CreditNote first = CreditNotes.issue(invoice, List.of(), lines("cn-1", Map.of(0, usd("20"))));
    assertThat(CreditNotes.creditableByLine(invoice, List.of(first)))
        .containsExactly(usd("9.00"), usd("5.00"));
    assertThatThrownBy(
            () -> CreditNotes.issue(invoice, List.of(first), lines("cn-2", Map.of(0, usd("9.01")))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("more than the 9.00 USD left");
    assertThatThrownBy(
            () -> CreditNotes.issue(invoice, List.of(), lines("cn-2", Map.of(2, usd("1")))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no line 2");
    assertThatThrownBy(
            () ->
                CreditNotes.issue(
                    invoice, List.of(), lines("cn-2", Map.of(0, Money.of("1", "EUR")))))
        .isInstanceOf(CurrencyMismatchException.class);
  }

  @Test
  void draftsAndVoidedInvoicesAreNotCredited() {
    Invoice draft =
        InvoiceCalculator.standard()
            .calculate(request("USD").usage(flat("base", "29"), Usage.NONE).build());
    assertThatThrownBy(
            () -> CreditNotes.issue(draft, List.of(), whole("cn", CreditNoteMethod.CREDIT_BACK)))
        .isInstanceOf(InvoiceStateException.class);
    Invoice voided = draft.finalizeAs(NUMBER, DAY).moveTo(InvoiceStatus.VOID);
    assertThatThrownBy(
            () -> CreditNotes.issue(voided, List.of(), whole("cn", CreditNoteMethod.CREDIT_BACK)))
        .isInstanceOf(InvoiceStateException.class);
  }

  @Test
  void aRefundIsForAPaidInvoiceAndAtMostWhatWasPaidInMoney() {
    InvoiceRequest r =
        request("USD").usage(flat("base", "100"), Usage.NONE).prepaidBalance(usd("60")).build();
    Invoice open = finalized(r);
    assertThatThrownBy(
            () -> CreditNotes.issue(open, List.of(), whole("cn", CreditNoteMethod.REFUND)))
        .isInstanceOf(InvoiceStateException.class);
    Invoice paid = open.moveTo(InvoiceStatus.PAID);
    assertThat(paid.amountDue()).isEqualTo(usd("50.00"));
    assertThatThrownBy(
            () -> CreditNotes.issue(paid, List.of(), whole("cn", CreditNoteMethod.REFUND)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("50.00 USD left");
    CreditNoteRequest refund40 =
        CreditNoteRequest.lines(
            "cn-1",
            DAY,
            CreditNoteReason.PRODUCT_UNSATISFACTORY,
            "",
            CreditNoteMethod.REFUND,
            Map.of(0, usd("40")));
    CreditNote refund = CreditNotes.issue(paid, List.of(), refund40);
    assertThat(refund.refunded()).isEqualTo(usd("44.00"));
    CreditNote rest =
        CreditNotes.issue(paid, List.of(refund), whole("cn-2", CreditNoteMethod.CREDIT_BACK));
    assertThat(rest.creditedBack()).isEqualTo(usd("66.00"));
  }

  /**
   * "A credit note short by one day": January 2026 has 31 days; a 31.00 fee paid in advance and
   * cancelled with the 11th as the first unused day leaves the 11th to the 31st, 21 days: 21.00,
   * not 20.00. With 29.00, the credit (19.65) and the charge for the 10 days used (9.35, as {@code
   * Charge.price} prorates it) add up to the fee.
   */
  @Test
  void theCreditForUnusedDaysIsExactlyTheDayProration() {
    InvoicePeriod january = InvoicePeriod.month(2026, 1);
    Invoice invoice = finalized(request("USD").usage(flat("base", "31"), Usage.NONE).build());
    LocalDate eleventh = LocalDate.of(2026, 1, 11);
    Money unused = CreditNotes.unusedDays(invoice, 0, january, eleventh);
    assertThat(unused).isEqualTo(usd("21.00"));
    CreditNote note =
        CreditNotes.issue(
            invoice,
            List.of(),
            CreditNoteRequest.lines(
                "cn-1",
                eleventh,
                CreditNoteReason.ORDER_CANCELLATION,
                "unused days",
                CreditNoteMethod.CREDIT_BACK,
                Map.of(0, unused)));
    assertThat(note.total()).isEqualTo(usd("23.10"));

    Invoice starter = finalized(request("USD").usage(flat("base", "29"), Usage.NONE).build());
    Money credit = CreditNotes.unusedDays(starter, 0, january, eleventh);
    BigDecimal usedFraction =
        BigDecimal.TEN.divide(BigDecimal.valueOf(31), Money.PRECISE_SCALE, RoundingMode.HALF_UP);
    Money usedCharge =
        Money.of(flat("base", "29").price(Usage.NONE, usedFraction).total(), usd("0").currency())
            .rounded();
    assertThat(credit).isEqualTo(usd("19.65"));
    assertThat(usedCharge).isEqualTo(usd("9.35"));
    assertThat(credit.plus(usedCharge)).isEqualTo(usd("29.00"));

    assertThat(CreditNotes.unusedDays(starter, 0, january, january.start())).isEqualTo(usd("29"));
    assertThat(CreditNotes.unusedDays(starter, 0, january, january.end())).isEqualTo(usd("0"));
    assertThatThrownBy(() -> CreditNotes.unusedDays(starter, 0, january, LocalDate.of(2026, 2, 2)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void creditedBackNotesLowerTheNextInvoiceAfterTax() {
    Invoice january = finalized(request("USD").usage(flat("base", "29"), Usage.NONE).build());
    CreditNote note = CreditNotes.issue(january, List.of(), lines("cn-1", Map.of(0, usd("10"))));
    Invoice february =
        InvoiceCalculator.standard()
            .calculate(
                request("USD")
                    .usage(flat("base", "29"), Usage.NONE)
                    .creditBalance(note.creditedBack())
                    .build());
    assertThat(february.taxTotal()).isEqualTo(usd("2.90"));
    assertThat(february.creditNotesApplied()).isEqualTo(usd("11.00"));
    assertThat(february.amountDue()).isEqualTo(usd("20.90"));
  }

  @Test
  void couponSharesAreWholeMinorUnitsThatAddUpToTheCoupon() {
    Invoice invoice =
        finalized(
            request("USD")
                .usage(flat("a", "1"), Usage.NONE)
                .usage(flat("b", "1"), Usage.NONE)
                .usage(flat("c", "1"), Usage.NONE)
                .coupon(
                    CouponRedemption.fresh(Coupon.fixed("ONE", usd("1"), Coupon.Duration.ONCE, 0)))
                .build());
    List<Money> nets = CreditNotes.netByLine(invoice);
    assertThat(nets).containsExactly(usd("0.66"), usd("0.67"), usd("0.67"));
    assertThat(nets.stream().reduce(usd("0"), Money::plus)).isEqualTo(usd("2.00"));
  }
}
