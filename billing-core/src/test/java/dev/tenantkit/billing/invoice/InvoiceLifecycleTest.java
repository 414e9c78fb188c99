package dev.tenantkit.billing.invoice;

import static dev.tenantkit.billing.invoice.InvoiceCalculatorTest.flat;
import static dev.tenantkit.billing.invoice.InvoiceCalculatorTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class InvoiceLifecycleTest {
  static final InvoiceNumber NUMBER = new InvoiceNumber("TK", 2026, 42);

  static Invoice draft() {
    return InvoiceCalculator.standard()
        .calculate(request("USD").usage(flat("base", "29"), Usage.NONE).build());
  }

  @Test
  void numbersLookLikeTk2026000042AndParseBack() {
    assertThat(NUMBER).hasToString("TK-2026-000042");
    assertThat(new Issuer("Tenantkit Ltd", java.util.List.of(), "", "TK").number(2026, 42))
        .isEqualTo(NUMBER);
    assertThatThrownBy(() -> new Issuer("X", java.util.List.of(), "", "tk"))
        .isInstanceOf(InvalidInputException.class);
    assertThat(InvoiceNumber.parse("TK-2026-000042")).isEqualTo(NUMBER);
    assertThat(new InvoiceNumber("ACME2", 2027, 999_999)).hasToString("ACME2-2027-999999");
    assertThatThrownBy(() -> new InvoiceNumber("TK", 2026, 0))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new InvoiceNumber("TK", 2026, 1_000_000))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new InvoiceNumber("tk", 2026, 1))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> InvoiceNumber.parse("TK-2026-42"))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void finalizingNumbersTheDraftAndKeepsThePaymentTerm() {
    Invoice draft = draft();
    LocalDate issued = LocalDate.of(2026, 2, 4);
    Invoice finalized = draft.finalizeAs(NUMBER, issued);
    assertThat(finalized.status()).isEqualTo(InvoiceStatus.FINALIZED);
    assertThat(finalized.number()).isEqualTo(NUMBER);
    assertThat(finalized.issueDate()).isEqualTo(issued);
    assertThat(finalized.dueDate()).isEqualTo(issued.plusDays(30));
    assertThat(finalized.total()).isEqualTo(draft.total());
    assertThat(finalized.lines()).isEqualTo(draft.lines());
  }

  @Test
  void impossibleTransitionsAreRefused() {
    Invoice draft = draft();
    assertThatThrownBy(() -> draft.moveTo(InvoiceStatus.PAID))
        .isInstanceOf(InvoiceStateException.class)
        .hasMessageContaining("draft to paid");
    Invoice finalized = draft.finalizeAs(NUMBER, LocalDate.of(2026, 2, 1));
    assertThatThrownBy(() -> finalized.finalizeAs(NUMBER, LocalDate.of(2026, 2, 1)))
        .isInstanceOf(InvoiceStateException.class);
    Invoice paid = finalized.moveTo(InvoiceStatus.SENT).moveTo(InvoiceStatus.PAID);
    for (InvoiceStatus s : InvoiceStatus.values()) {
      assertThatThrownBy(() -> paid.moveTo(s)).isInstanceOf(InvoiceStateException.class);
    }
    Invoice voided = finalized.moveTo(InvoiceStatus.VOID);
    assertThatThrownBy(() -> voided.moveTo(InvoiceStatus.PAID))
        .isInstanceOf(InvoiceStateException.class);
    assertThat(finalized.moveTo(InvoiceStatus.UNCOLLECTIBLE).moveTo(InvoiceStatus.PAID).status())
        .isEqualTo(InvoiceStatus.PAID);
  }

  @Test
  void theTransitionTableIsExactlyTheDocumentedOne() {
    assertThat(InvoiceStatus.DRAFT.next()).containsExactly(InvoiceStatus.FINALIZED);
    assertThat(InvoiceStatus.FINALIZED.next())
        .isEqualTo(
            EnumSet.of(
                InvoiceStatus.SENT,
                InvoiceStatus.PAID,
                InvoiceStatus.VOID,
                InvoiceStatus.UNCOLLECTIBLE));
    assertThat(InvoiceStatus.SENT.next())
        .isEqualTo(EnumSet.of(InvoiceStatus.PAID, InvoiceStatus.VOID, InvoiceStatus.UNCOLLECTIBLE));
    assertThat(InvoiceStatus.UNCOLLECTIBLE.next())
        .isEqualTo(EnumSet.of(InvoiceStatus.PAID, InvoiceStatus.VOID));
    assertThat(InvoiceStatus.PAID.next()).isEmpty();
    assertThat(InvoiceStatus.VOID.next()).isEmpty();
  }

  @Test
  void overdueIsDerivedFromTheDueDate() {
    Invoice finalized = draft().finalizeAs(NUMBER, LocalDate.of(2026, 2, 1));
    assertThat(finalized.dueDate()).isEqualTo(LocalDate.of(2026, 3, 3));
    assertThat(finalized.isOverdue(LocalDate.of(2026, 3, 3))).isFalse();
    assertThat(finalized.isOverdue(LocalDate.of(2026, 3, 4))).isTrue();
    assertThat(finalized.moveTo(InvoiceStatus.SENT).isOverdue(LocalDate.of(2026, 3, 4))).isTrue();
    assertThat(finalized.moveTo(InvoiceStatus.PAID).isOverdue(LocalDate.of(2026, 3, 4))).isFalse();
    assertThat(finalized.moveTo(InvoiceStatus.VOID).isOverdue(LocalDate.of(2026, 3, 4))).isFalse();
    assertThat(draft().isOverdue(LocalDate.of(2027, 1, 1))).isFalse();
  }

  @Test
  void anInvoiceWhoseAmountsDoNotAddUpIsRefused() {
    Invoice d = draft();
    Money wrong = d.total().plus(Money.of("0.01", "USD"));
    assertThatThrownBy(
            () ->
                new Invoice(
                    d.id(),
                    d.tenant(),
                    null,
                    d.currency(),
                    d.period(),
                    d.status(),
                    d.issueDate(),
                    d.dueDate(),
                    d.lines(),
                    d.discounts(),
                    d.taxLines(),
                    d.creditNotesApplied(),
                    d.prepaidCreditsApplied(),
                    d.subtotal(),
                    d.discountTotal(),
                    d.taxTotal(),
                    wrong,
                    d.amountDue()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("total");
  }

  @Test
  void couponDurations() {
    Coupon once = Coupon.percent("ONCE", BigDecimal.TEN, Coupon.Duration.ONCE, 0);
    Coupon three = Coupon.percent("THREE", BigDecimal.TEN, Coupon.Duration.REPEATING, 3);
    Coupon forever = Coupon.fixed("EVER", Money.of("5", "USD"), Coupon.Duration.FOREVER, 0);
    assertThat(new CouponRedemption(once, 0, null).appliesToNextInvoice()).isTrue();
    assertThat(new CouponRedemption(once, 1, null).appliesToNextInvoice()).isFalse();
    assertThat(new CouponRedemption(three, 2, null).appliesToNextInvoice()).isTrue();
    assertThat(new CouponRedemption(three, 3, null).appliesToNextInvoice()).isFalse();
    assertThat(new CouponRedemption(forever, 1000, Money.of("5000", "USD")).appliesToNextInvoice())
        .isTrue();
    assertThat(new CouponRedemption(forever, 1000, null).remainingFixedAmount())
        .isEqualTo(Money.of("5", "USD"));
  }

  @Test
  void badCouponsAreRefused() {
    assertThatThrownBy(() -> Coupon.percent("X", new BigDecimal("101"), Coupon.Duration.ONCE, 0))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Coupon.percent("X", BigDecimal.ZERO, Coupon.Duration.ONCE, 0))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Coupon.fixed("X", Money.of("-1", "USD"), Coupon.Duration.ONCE, 0))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Coupon.fixed("X", Money.of("0.001", "USD"), Coupon.Duration.ONCE, 0))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Coupon.percent("X", BigDecimal.TEN, Coupon.Duration.REPEATING, 0))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> new Coupon("X", BigDecimal.TEN, Money.of("1", "USD"), Coupon.Duration.ONCE, 0))
        .isInstanceOf(InvalidInputException.class);
  }
}
