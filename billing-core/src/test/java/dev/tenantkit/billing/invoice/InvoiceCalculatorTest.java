package dev.tenantkit.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.StandardPrice;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InvoiceCalculatorTest {
  static final TenantId ACME = TenantId.of("acme");
  static final InvoicePeriod JANUARY = InvoicePeriod.month(2026, 1);
  static final LocalDate ISSUE = LocalDate.of(2026, 2, 1);
  static final InvoiceCalculator CALC = InvoiceCalculator.standard();

  static InvoiceRequest.Builder request(String currency) {
    return InvoiceRequest.builder("inv-1", ACME, Money.currency(currency), JANUARY, ISSUE);
  }

  static Charge flat(String code, String amount) {
    return Charge.flat(code, new FlatPrice(new BigDecimal(amount)));
  }

  static Charge perUnit(String code, String unitPrice) {
    return Charge.usage(code, code, Aggregation.SUM, new StandardPrice(new BigDecimal(unitPrice)));
  }

  static Usage units(String quantity) {
    return Usage.of(new BigDecimal(quantity));
  }

  static Money usd(String amount) {
    return Money.of(amount, "USD");
  }

  @Nested
  class CompositionOrder {

    /**
     * Lago's worked example (changelog "New calculation method for invoices", with coupons before
     * tax as in "Coupons applied before tax"): 50 subscription + 20 usage, a 10 coupon, 10% tax,
     * then credit notes and 30 of prepaid credits after tax.
     */
    @Test
    void feesThenCouponsThenTaxThenCreditNotesThenPrepaidCredits() {
      Invoice invoice =
          CALC.calculate(
              request("USD")
                  .usage(flat("subscription", "50"), Usage.NONE)
                  .usage(perUnit("api_calls", "0.02"), units("1000"))
                  .coupon(
                      CouponRedemption.fresh(
                          Coupon.fixed("TEN", usd("10"), Coupon.Duration.ONCE, 0)))
                  .creditBalance(usd("5"))
                  .prepaidBalance(usd("30"))
                  .build());

      assertThat(invoice.subtotal()).isEqualTo(usd("70.00"));
      assertThat(invoice.discountTotal()).isEqualTo(usd("10.00"));
      assertThat(invoice.taxLines())
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.base()).isEqualByComparingTo("60");
                assertThat(t.amount()).isEqualTo(usd("6.00"));
              });
      assertThat(invoice.total()).isEqualTo(usd("66.00"));
      assertThat(invoice.creditNotesApplied()).isEqualTo(usd("5.00"));
      assertThat(invoice.prepaidCreditsApplied()).isEqualTo(usd("30.00"));
      assertThat(invoice.amountDue()).isEqualTo(usd("31.00"));
      assertThat(invoice.status()).isEqualTo(InvoiceStatus.DRAFT);
      assertThat(invoice.number()).isNull();
      assertThat(invoice.dueDate()).isEqualTo(ISSUE.plusDays(30));
    }

    @Test
    void prepaidCreditsDoNotLowerTheTaxBase() {
      Invoice withWallet =
          CALC.calculate(
              request("USD")
                  .usage(flat("base", "100"), Usage.NONE)
                  .prepaidBalance(usd("40"))
                  .build());
      assertThat(withWallet.taxTotal()).isEqualTo(usd("10.00"));
      assertThat(withWallet.total()).isEqualTo(usd("110.00"));
      assertThat(withWallet.amountDue()).isEqualTo(usd("70.00"));
    }

    @Test
    void couponsApplyInOrderEachOnWhatThePreviousLeft() {
      Invoice invoice =
          CALC.calculate(
              request("USD")
                  .usage(flat("base", "100"), Usage.NONE)
                  .coupon(
                      CouponRedemption.fresh(
                          Coupon.fixed("TWENTY", usd("20"), Coupon.Duration.FOREVER, 0)))
                  .coupon(
                      CouponRedemption.fresh(
                          Coupon.percent("HALF", new BigDecimal("50"), Coupon.Duration.ONCE, 0)))
                  .build());
      assertThat(invoice.discounts())
          .extracting(AppliedDiscount::amount)
          .containsExactly(usd("20.00"), usd("40.00"));
      assertThat(invoice.taxTotal()).isEqualTo(usd("4.00"));
      assertThat(invoice.total()).isEqualTo(usd("44.00"));
    }

    @Test
    void creditsLargerThanTheTotalLeaveNothingDueAndAreOnlyUsedUpToIt() {
      Invoice invoice =
          CALC.calculate(
              request("USD")
                  .usage(flat("base", "30"), Usage.NONE)
                  .creditBalance(usd("50"))
                  .prepaidBalance(usd("100"))
                  .build());
      assertThat(invoice.total()).isEqualTo(usd("33.00"));
      assertThat(invoice.creditNotesApplied()).isEqualTo(usd("33.00"));
      assertThat(invoice.prepaidCreditsApplied()).isEqualTo(usd("0.00"));
      assertThat(invoice.amountDue()).isEqualTo(usd("0.00"));
    }

    @Test
    void walletCoversWhatCreditNotesLeave() {
      Invoice invoice =
          CALC.calculate(
              request("USD")
                  .usage(flat("base", "30"), Usage.NONE)
                  .creditBalance(usd("3"))
                  .prepaidBalance(usd("100"))
                  .build());
      assertThat(invoice.creditNotesApplied()).isEqualTo(usd("3.00"));
      assertThat(invoice.prepaidCreditsApplied()).isEqualTo(usd("30.00"));
      assertThat(invoice.amountDue()).isEqualTo(usd("0.00"));
    }
  }

  @Nested
  class Discounts {

    @Test
    void aFixedCouponLargerThanTheFeesIsCappedAtTheFees() {
      Invoice invoice =
          CALC.calculate(
              request("USD")
                  .usage(flat("base", "29"), Usage.NONE)
                  .coupon(
                      CouponRedemption.fresh(
                          Coupon.fixed("BIG", usd("100"), Coupon.Duration.ONCE, 0)))
                  .build());
      assertThat(invoice.discountTotal()).isEqualTo(usd("29.00"));
      assertThat(invoice.taxTotal()).isEqualTo(usd("0.00"));
      assertThat(invoice.total()).isEqualTo(usd("0.00"));
      assertThat(invoice.amountDue()).isEqualTo(usd("0.00"));
    }

    @Test
    void aFullyDiscountedInvoiceIsZeroEverywhere() {
      Invoice invoice =
          CALC.calculate(
              request("USD")
                  .usage(flat("base", "99"), Usage.NONE)
                  .usage(perUnit("calls", "0.001"), units("12345"))
                  .coupon(
                      CouponRedemption.fresh(
                          Coupon.percent("FREE", new BigDecimal("100"), Coupon.Duration.ONCE, 0)))
                  .prepaidBalance(usd("10"))
                  .build());
      assertThat(invoice.subtotal()).isEqualTo(usd("111.35"));
      assertThat(invoice.discountTotal()).isEqualTo(usd("111.35"));
      assertThat(invoice.taxTotal()).isEqualTo(usd("0"));
      assertThat(invoice.total()).isEqualTo(usd("0"));
      assertThat(invoice.prepaidCreditsApplied()).isEqualTo(usd("0"));
      assertThat(invoice.amountDue()).isEqualTo(usd("0"));
    }

    @Test
    void aCouponThatNoLongerAppliesIsSkipped() {
      Coupon threeMonths = Coupon.percent("Q1", new BigDecimal("10"), Coupon.Duration.REPEATING, 3);
      Invoice invoice =
          CALC.calculate(
              request("USD")
                  .usage(flat("base", "100"), Usage.NONE)
                  .coupon(new CouponRedemption(threeMonths, 3, null))
                  .build());
      assertThat(invoice.discounts()).isEmpty();
      assertThat(invoice.total()).isEqualTo(usd("110.00"));
    }

    @Test
    void aFixedOnceCouponKeepsItsRemainderForTheNextInvoice() {
      CouponRedemption fifty =
          CouponRedemption.fresh(Coupon.fixed("FIFTY", usd("50"), Coupon.Duration.ONCE, 0));
      Invoice first =
          CALC.calculate(
              request("USD").usage(flat("base", "29"), Usage.NONE).coupon(fifty).build());
      CouponRedemption after = fifty.after(first.discounts().get(0));
      assertThat(after.remainingFixedAmount()).isEqualTo(usd("21.00"));
      assertThat(after.appliesToNextInvoice()).isTrue();

      Invoice second =
          CALC.calculate(
              request("USD").usage(flat("base", "29"), Usage.NONE).coupon(after).build());
      assertThat(second.discountTotal()).isEqualTo(usd("21.00"));
      assertThat(after.after(second.discounts().get(0)).appliesToNextInvoice()).isFalse();
    }

    @Test
    void aChargesOwnDiscountIsAPercentageOfAtMost100SoItNeverExceedsItsFee() {
      assertThatThrownBy(() -> flat("base", "10").withDiscountPercent(new BigDecimal("100.01")))
          .isInstanceOf(InvalidInputException.class);
      Invoice invoice =
          CALC.calculate(
              request("USD")
                  .usage(flat("base", "10").withDiscountPercent(new BigDecimal("100")), Usage.NONE)
                  .build());
      assertThat(invoice.lines().get(0).amount()).isEqualTo(usd("0"));
      assertThat(invoice.lines().get(0).chargeDiscount()).isEqualByComparingTo("10");
    }
  }

  @Nested
  class RoundingAndTax {

    /** Kill Bill #494: 0.999 USD is 1.00 half-up, and the line keeps the 0.999. */
    @Test
    void zeroPoint999UsdIsOneDollar() {
      Invoice invoice =
          CALC.calculate(
              request("USD")
                  .usage(perUnit("item", "0.999"), units("1"))
                  .taxRate(TaxRate.EXEMPT)
                  .build());
      InvoiceLine line = invoice.lines().get(0);
      assertThat(line.preciseAmount()).isEqualByComparingTo("0.999");
      assertThat(line.amount().toPlainString()).isEqualTo("1.00");
      assertThat(invoice.total()).isEqualTo(usd("1.00"));
      assertThat(invoice.amountDue().toPlainString()).isEqualTo("1.00");
    }

    /**
     * 30 lines of 0.333 USD: each rounds to 0.33, the subtotal is 9.90 and 10% tax is 0.99 once for
     * the invoice. Rounding the tax per line (0.0333 to 0.03) would give 0.90: nine cents of drift.
     */
    @Test
    void manySmallLinesDoNotDrift() {
      InvoiceRequest.Builder b = request("USD");
      for (int i = 0; i < 30; i++) {
        b.usage(perUnit("c" + i, "0.333"), units("1"));
      }
      Invoice invoice = CALC.calculate(b.build());
      assertThat(invoice.lines()).allSatisfy(l -> assertThat(l.amount()).isEqualTo(usd("0.33")));
      assertThat(invoice.subtotal()).isEqualTo(usd("9.90"));
      assertThat(invoice.taxTotal()).isEqualTo(usd("0.99"));
      assertThat(invoice.total()).isEqualTo(usd("10.89"));
    }

    @Test
    void taxIsRoundedOncePerRateOnTheDiscountedBase() {
      Invoice invoice =
          CALC.calculate(
              request("USD")
                  .usage(flat("base", "100"), Usage.NONE)
                  .usage(perUnit("books", "1"), units("50"))
                  .chargeTaxRate("books", TaxRate.of("5.5"))
                  .taxRate(TaxRate.of("20"))
                  .coupon(
                      CouponRedemption.fresh(
                          Coupon.fixed("OFF", usd("15"), Coupon.Duration.ONCE, 0)))
                  .build());
      // 15 off 150 is 10% off each line: bases 90 and 45.
      assertThat(invoice.taxLines()).hasSize(2);
      assertThat(invoice.taxLines().get(0).base()).isEqualByComparingTo("90");
      assertThat(invoice.taxLines().get(0).amount()).isEqualTo(usd("18.00"));
      assertThat(invoice.taxLines().get(1).base()).isEqualByComparingTo("45");
      assertThat(invoice.taxLines().get(1).amount()).isEqualTo(usd("2.48")); // 2.475 half-up
      assertThat(invoice.total()).isEqualTo(usd("155.48"));
    }

    @Test
    void aTaxExemptTenantPaysNoTaxEvenOnChargesWithTheirOwnRate() {
      Invoice invoice =
          CALC.calculate(
              request("USD")
                  .usage(flat("base", "29"), Usage.NONE)
                  .chargeTaxRate("base", TaxRate.of("20"))
                  .taxRate(TaxRate.EXEMPT)
                  .build());
      assertThat(invoice.taxLines())
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.rate().exempt()).isTrue();
                assertThat(t.amount()).isEqualTo(usd("0"));
              });
      assertThat(invoice.total()).isEqualTo(usd("29.00"));
    }

    @Test
    void theDefaultTaxRateIsTenPercent() {
      Invoice invoice =
          CALC.calculate(request("USD").usage(flat("base", "29"), Usage.NONE).build());
      assertThat(invoice.taxLines().get(0).rate()).isEqualTo(TaxRate.DEFAULT);
      assertThat(invoice.taxTotal()).isEqualTo(usd("2.90"));
    }

    /**
     * KWD has three decimals: 12,345 calls at 0.00015 KWD bill 1.85175, rounded to 1.852; with a
     * 9.500 flat fee the subtotal is 11.352 and 10% tax is 1.1352, rounded once to 1.135.
     */
    @Test
    void kuwaitiDinarsHaveThreeDecimals() {
      Invoice invoice =
          CALC.calculate(
              request("KWD")
                  .usage(flat("starter", "9.5"), Usage.NONE)
                  .usage(perUnit("api_calls", "0.00015"), units("12345"))
                  .build());
      assertThat(invoice.lines().get(1).preciseAmount()).isEqualByComparingTo("1.85175");
      assertThat(invoice.lines().get(1).amount().toPlainString()).isEqualTo("1.852");
      assertThat(invoice.subtotal().toPlainString()).isEqualTo("11.352");
      assertThat(invoice.taxTotal().toPlainString()).isEqualTo("1.135");
      assertThat(invoice.total().toPlainString()).isEqualTo("12.487");
    }

    /**
     * JPY has no decimals: 2,980 flat and 1,235 units at 0.5 (617.5, rounded half-up to 618);
     * subtotal 3,598; a 15% coupon takes 539.7, rounded to 540; tax 10% of 3,058 is 305.8, rounded
     * to 306; total 3,364.
     */
    @Test
    void yenHaveNoDecimals() {
      Invoice invoice =
          CALC.calculate(
              request("JPY")
                  .usage(flat("starter", "2980"), Usage.NONE)
                  .usage(perUnit("api_calls", "0.5"), units("1235"))
                  .coupon(
                      CouponRedemption.fresh(
                          Coupon.percent("P15", new BigDecimal("15"), Coupon.Duration.FOREVER, 0)))
                  .build());
      assertThat(invoice.lines().get(1).amount().toPlainString()).isEqualTo("618");
      assertThat(invoice.subtotal().toPlainString()).isEqualTo("3598");
      assertThat(invoice.discountTotal().toPlainString()).isEqualTo("540");
      assertThat(invoice.taxTotal().toPlainString()).isEqualTo("306");
      assertThat(invoice.total().toPlainString()).isEqualTo("3364");
    }
  }

  @Nested
  class BadInput {

    @Test
    void aCurrencyMismatchIsRefused() {
      Currency eur = Money.currency("EUR");
      assertThatThrownBy(() -> request("USD").priceCurrency(eur).build())
          .isInstanceOf(CurrencyMismatchException.class)
          .hasMessageContaining("EUR")
          .extracting(e -> ((CurrencyMismatchException) e).code())
          .isEqualTo("currency-mismatch");
      assertThatThrownBy(
              () ->
                  request("USD")
                      .coupon(
                          CouponRedemption.fresh(
                              Coupon.fixed("E", Money.of("5", "EUR"), Coupon.Duration.ONCE, 0)))
                      .build())
          .isInstanceOf(CurrencyMismatchException.class);
      assertThatThrownBy(() -> request("USD").prepaidBalance(Money.of("5", "EUR")).build())
          .isInstanceOf(CurrencyMismatchException.class);
      assertThatThrownBy(() -> request("USD").creditBalance(Money.of("5", "JPY")).build())
          .isInstanceOf(CurrencyMismatchException.class);
    }

    @Test
    void aNegativeExtraLineIsRefused() {
      InvoiceRequest r =
          request("USD")
              .extraLine(
                  InvoiceLine.ofAmount(
                      "correction",
                      "late usage",
                      new BigDecimal("-1"),
                      Money.currency("USD"),
                      TaxRate.DEFAULT))
              .build();
      assertThatThrownBy(() -> CALC.calculate(r)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aCorrectionLineIsBilledLikeAnyOther() {
      Invoice invoice =
          CALC.calculate(
              request("USD")
                  .extraLine(
                      InvoiceLine.ofAmount(
                          "correction",
                          "usage of December received after its invoice",
                          new BigDecimal("1.255"),
                          Money.currency("USD"),
                          TaxRate.DEFAULT))
                  .build());
      assertThat(invoice.subtotal()).isEqualTo(usd("1.26"));
      assertThat(invoice.taxTotal()).isEqualTo(usd("0.13"));
    }

    @Test
    void anEmptyInvoiceIsZero() {
      Invoice invoice = CALC.calculate(request("USD").build());
      assertThat(invoice.total()).isEqualTo(usd("0"));
      assertThat(invoice.lines()).isEmpty();
    }
  }

  @Test
  void theSameRequestGivesTheSameInvoice() {
    InvoiceRequest r =
        request("USD")
            .usage(flat("base", "29"), Usage.NONE)
            .usage(perUnit("calls", "0.0001"), units("1250"))
            .build();
    assertThat(CALC.calculate(r)).isEqualTo(CALC.calculate(r));
  }
}
