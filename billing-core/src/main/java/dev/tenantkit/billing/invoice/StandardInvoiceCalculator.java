package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.price.ChargeFee;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The composition order of {@link InvoiceCalculator#standard()}. Stateless. */
final class StandardInvoiceCalculator implements InvoiceCalculator {
  static final StandardInvoiceCalculator INSTANCE = new StandardInvoiceCalculator();
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private StandardInvoiceCalculator() {}

  @Override
  public Invoice calculate(InvoiceRequest request) {
    Currency currency = request.currency();
    Money zero = Money.zero(currency);

    // 1. Fees: one line per charge, rounded once; the subtotal sums the rounded lines.
    List<InvoiceLine> lines = new ArrayList<>();
    for (ChargeInput input : request.charges()) {
      ChargeFee fee = input.price();
      String code = fee.charge().code();
      lines.add(
          InvoiceLine.of(fee, request.descriptions().get(code), currency, request.taxRateOf(code)));
    }
    lines.addAll(request.extraLines());
    Money subtotal = zero;
    for (InvoiceLine line : lines) {
      if (line.amount().isNegative()) {
        throw new InvalidInputException(
            "lines", "line '" + line.chargeCode() + "' is negative: a reduction is a credit note");
      }
      subtotal = subtotal.plus(line.amount());
    }

    // 2. Coupons, in order, each on what is left, capped there: never a negative invoice.
    List<AppliedDiscount> discounts = new ArrayList<>();
    Money left = subtotal;
    for (CouponRedemption redemption : request.coupons()) {
      if (left.isZero() || !redemption.appliesToNextInvoice()) {
        continue;
      }
      Coupon coupon = redemption.coupon();
      Money off =
          coupon.isPercentage()
              ? left.times(coupon.percentOff().divide(HUNDRED)).rounded()
              : redemption.remainingFixedAmount();
      off = off.min(left);
      discounts.add(new AppliedDiscount(coupon.code(), coupon.describe(), off));
      left = left.minus(off);
    }
    Money discountTotal = subtotal.minus(left);

    // 3. Tax per rate on the discounted base, rounded once per rate for the invoice.
    List<TaxLine> taxLines = taxLines(lines, subtotal, left, zero);
    Money taxTotal = taxLines.stream().map(TaxLine::amount).reduce(zero, Money::plus);
    Money total = left.plus(taxTotal);

    // 4. Credit notes, then 5. prepaid credits: after tax, so nothing is taxed twice.
    Money fromCreditNotes = request.creditBalance().min(total);
    Money fromWallet = request.prepaidBalance().min(total.minus(fromCreditNotes));
    Money amountDue = total.minus(fromCreditNotes).minus(fromWallet);

    return new Invoice(
        request.invoiceId(),
        request.tenant(),
        null,
        currency,
        request.period(),
        InvoiceStatus.DRAFT,
        request.issueDate(),
        request.issueDate().plusDays(request.paymentTermDays()),
        lines,
        discounts,
        taxLines,
        fromCreditNotes,
        fromWallet,
        subtotal,
        discountTotal,
        taxTotal,
        total,
        amountDue);
  }

  /**
   * One tax line per rate, in the order the rates first appear. The base of a rate is the sum of
   * its lines' rounded amounts times {@code net / subtotal}: the coupons are shared among the lines
   * in proportion to their amounts and the base is not rounded; the tax is rounded once.
   */
  private static List<TaxLine> taxLines(
      List<InvoiceLine> lines, Money subtotal, Money net, Money zero) {
    Map<TaxRate, Money> gross = new LinkedHashMap<>();
    for (InvoiceLine line : lines) {
      gross.merge(line.taxRate(), line.amount(), Money::plus);
    }
    List<TaxLine> out = new ArrayList<>();
    for (Map.Entry<TaxRate, Money> e : gross.entrySet()) {
      BigDecimal base =
          subtotal.isZero()
              ? BigDecimal.ZERO
              : e.getValue()
                  .amount()
                  .multiply(net.amount())
                  .divide(subtotal.amount(), Money.PRECISE_SCALE, RoundingMode.HALF_UP);
      Money tax = Money.of(e.getKey().taxOn(base), zero.currency()).rounded();
      out.add(new TaxLine(e.getKey(), base, tax));
    }
    return out;
  }
}
