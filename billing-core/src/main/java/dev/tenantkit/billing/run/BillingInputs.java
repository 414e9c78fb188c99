package dev.tenantkit.billing.run;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CouponRedemption;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the caller brings to one invoice beyond the subscription and the usage: the tenant's tax
 * rate, coupons and balances, the correction lines owed from earlier periods, the earlier plan
 * versions of the period and what progressive invoices already billed in it. These come from
 * stores; {@link PeriodBiller} only reads them. Immutable; build with {@link #builder()}.
 *
 * @param taxRate the tenant's tax rate, or {@link TaxRate#EXEMPT}
 * @param coupons the tenant's coupons, in the order given
 * @param creditBalance the tenant's credit-note balance, or {@code null} for none
 * @param prepaidBalance the tenant's prepaid wallet balance, or {@code null} for none
 * @param paymentTermDays days from issue to due date
 * @param corrections correction lines for late usage of finalized periods ({@link Corrections})
 * @param priorTerms the plan versions the subscription was on before its current one, oldest first
 *     (only those that overlap the period matter)
 * @param progressiveBilled per usage charge code, the precise amount progressive invoices already
 *     billed for the period
 * @param periodFeesDue whether the billed period's own fees in advance are still due (no earlier
 *     invoice billed them: a billing run's invoice of a subscription's first period), so that the
 *     invoice at its end bills them, each plan version for its days
 */
public record BillingInputs(
    TaxRate taxRate,
    List<CouponRedemption> coupons,
    Money creditBalance,
    Money prepaidBalance,
    int paymentTermDays,
    List<InvoiceLine> corrections,
    List<PlanTerm> priorTerms,
    Map<String, BigDecimal> progressiveBilled,
    boolean periodFeesDue) {

  /** No coupons, balances, corrections, earlier terms or progressive invoices; tax 10 percent. */
  public static final BillingInputs NONE = builder().build();

  /**
   * Checks and copies the components; sorts the earlier terms by their start.
   *
   * @throws InvalidInputException if the payment term is outside 0 to 365 days or a progressive
   *     amount is negative
   */
  public BillingInputs {
    taxRate = taxRate == null ? TaxRate.DEFAULT : taxRate;
    coupons = List.copyOf(coupons);
    if (paymentTermDays < 0 || paymentTermDays > 365) {
      throw new InvalidInputException("payment_term_days", "is 0 to 365");
    }
    corrections = List.copyOf(corrections);
    List<PlanTerm> terms = new ArrayList<>(priorTerms);
    terms.sort(Comparator.comparing(PlanTerm::since));
    priorTerms = List.copyOf(terms);
    for (BigDecimal v : progressiveBilled.values()) {
      if (v.signum() < 0) {
        throw new InvalidInputException("progressive_billed", "an amount billed is not negative");
      }
    }
    progressiveBilled = Map.copyOf(progressiveBilled);
  }

  /** A builder with the defaults of {@link #NONE}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with everything of these inputs, to change some. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** What progressive invoices billed for this charge in the period; zero when none. */
  public BigDecimal progressiveBilled(String chargeCode) {
    return progressiveBilled.getOrDefault(chargeCode, BigDecimal.ZERO);
  }

  /** Builds {@link BillingInputs}. Not thread-safe. */
  public static final class Builder {
    private TaxRate taxRate;
    private final List<CouponRedemption> coupons = new ArrayList<>();
    private Money creditBalance;
    private Money prepaidBalance;
    private int paymentTermDays = Invoice.DEFAULT_PAYMENT_TERM_DAYS;
    private final List<InvoiceLine> corrections = new ArrayList<>();
    private final List<PlanTerm> priorTerms = new ArrayList<>();
    private final Map<String, BigDecimal> progressiveBilled = new LinkedHashMap<>();
    private boolean periodFeesDue;

    private Builder() {}

    /** A builder with everything of {@code inputs}. */
    private Builder(BillingInputs inputs) {
      taxRate = inputs.taxRate();
      coupons.addAll(inputs.coupons());
      creditBalance = inputs.creditBalance();
      prepaidBalance = inputs.prepaidBalance();
      paymentTermDays = inputs.paymentTermDays();
      corrections.addAll(inputs.corrections());
      priorTerms.addAll(inputs.priorTerms());
      progressiveBilled.putAll(inputs.progressiveBilled());
      periodFeesDue = inputs.periodFeesDue();
    }

    /** Whether the billed period's own fees in advance are still due; false unless set. */
    public Builder periodFeesDue(boolean due) {
      this.periodFeesDue = due;
      return this;
    }

    /** The tenant's tax rate; 10 percent when not set. */
    public Builder taxRate(TaxRate rate) {
      this.taxRate = rate;
      return this;
    }

    /** Adds a coupon of the tenant. */
    public Builder coupon(CouponRedemption redemption) {
      coupons.add(redemption);
      return this;
    }

    /** The tenant's credit-note balance. */
    public Builder creditBalance(Money balance) {
      this.creditBalance = balance;
      return this;
    }

    /** The tenant's prepaid wallet balance. */
    public Builder prepaidBalance(Money balance) {
      this.prepaidBalance = balance;
      return this;
    }

    /** Days from issue to due date; 30 when not set. */
    public Builder paymentTermDays(int days) {
      this.paymentTermDays = days;
      return this;
    }

    /** Adds correction lines owed from earlier periods. */
    public Builder corrections(List<InvoiceLine> lines) {
      corrections.addAll(lines);
      return this;
    }

    /** Adds a plan version the subscription was on before its current one. */
    public Builder priorTerm(PlanTerm term) {
      priorTerms.add(term);
      return this;
    }

    /** What progressive invoices already billed for a usage charge in the period (precise). */
    public Builder progressiveBilled(String chargeCode, BigDecimal amount) {
      progressiveBilled.merge(chargeCode, amount, BigDecimal::add);
      return this;
    }

    /**
     * The inputs.
     *
     * @throws InvalidInputException as the record's constructor
     */
    public BillingInputs build() {
      return new BillingInputs(
          taxRate,
          coupons,
          creditBalance,
          prepaidBalance,
          paymentTermDays,
          corrections,
          priorTerms,
          progressiveBilled,
          periodFeesDue);
    }
  }
}
