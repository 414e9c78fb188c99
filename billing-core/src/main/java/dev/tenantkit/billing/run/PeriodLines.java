package dev.tenantkit.billing.run;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CouponRedemption;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.price.ChargeFee;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.Subscription;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;

/** The invoice lines and request builders of {@link PeriodBiller}, with their texts. Pure. */
final class PeriodLines {
  private PeriodLines() {}

  /** A charge priced for a version's part of a period, with its line text. */
  record Priced(PlanCharge planCharge, ChargeFee fee, String description) {}

  /**
   * The line of a usage charge less what progressive invoices billed of it: {@code round(fee) -
   * billed}, so the period's invoices together bill the rounded fee to the cent; never below zero.
   */
  static Optional<InvoiceLine> lessProgressive(
      Priced p, BigDecimal fee, BillingInputs in, Subscription s) {
    BigDecimal billed = in.progressiveBilled(p.planCharge().code());
    if (billed.signum() == 0) {
      return fee.signum() == 0
          ? Optional.empty()
          : Optional.of(line(p, fee, p.description(), in.taxRate(), s));
    }
    BigDecimal rest =
        Money.of(fee, s.currency()).rounded().amount().subtract(billed).max(BigDecimal.ZERO);
    if (rest.signum() == 0) {
      return Optional.empty();
    }
    String text =
        p.description() + ", less " + billed.toPlainString() + " billed by progressive invoices";
    return Optional.of(line(p, rest, text, in.taxRate(), s));
  }

  static InvoiceLine line(
      Priced p, BigDecimal amount, String description, TaxRate taxRate, Subscription s) {
    InvoiceLine full = InvoiceLine.of(p.fee(), description, s.currency(), taxRate);
    if (amount.compareTo(p.fee().total()) == 0) {
      return full;
    }
    return new InvoiceLine(
        full.chargeCode(),
        description,
        full.quantity(),
        full.unitPrice(),
        full.steps(),
        full.chargeDiscount(),
        full.minimumTrueUp(),
        amount,
        Money.of(amount, s.currency()).rounded(),
        taxRate);
  }

  /** {@code starter v1 files_overage, 2026-03-01 to 2026-03-31 (usage above the files limit)}. */
  static String describe(PlanVersion v, PlanCharge pc, LocalDate from, LocalDate to, String note) {
    StringBuilder text =
        new StringBuilder()
            .append(v.planId())
            .append(" v")
            .append(v.version())
            .append(' ')
            .append(pc.code())
            .append(", ")
            .append(from)
            .append(" to ")
            .append(to.isAfter(from) ? to.minusDays(1) : from);
    if (note != null) {
      text.append(" (").append(note).append(')');
    } else if (pc.isOverage()) {
      text.append(" (usage above the ").append(pc.limit()).append(" limit)");
    }
    return text.toString();
  }

  static InvoiceRequest.Builder builder(
      String invoiceId, Subscription s, BillingPeriod period, LocalDate issue, BillingInputs in) {
    InvoiceRequest.Builder b =
        InvoiceRequest.builder(
                invoiceId,
                s.tenant(),
                s.currency(),
                new InvoicePeriod(period.start(), period.end()),
                issue)
            .paymentTermDays(in.paymentTermDays())
            .taxRate(in.taxRate())
            .creditBalance(in.creditBalance())
            .prepaidBalance(in.prepaidBalance());
    for (CouponRedemption c : in.coupons()) {
      b.coupon(c);
    }
    return b;
  }
}
