package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeFee;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link InvoiceCalculator} needs to compute one draft invoice, so that the calculation
 * reads nothing else (no store, no clock). Immutable; build with {@link #builder}.
 *
 * @param invoiceId the id the draft gets
 * @param tenant the tenant billed
 * @param currency the invoice's currency
 * @param period the service period billed
 * @param issueDate the date the draft would be issued
 * @param paymentTermDays days from issue to due date (default 30)
 * @param priceCurrency the currency the charges are priced in (the plan version's); must equal
 *     {@code currency}
 * @param charges the charges, priced or with their usage, in invoice order
 * @param extraLines lines not produced by a charge (a correction for usage that arrived after the
 *     previous invoice was finalized), after the charges
 * @param descriptions a line description per charge code; the code itself when absent
 * @param taxRate the tenant's tax rate (or {@link TaxRate#EXEMPT}); {@link TaxRate#DEFAULT} when
 *     not set
 * @param chargeTaxRates a tax rate per charge code that differs from {@code taxRate}; ignored for
 *     an exempt tenant
 * @param coupons the coupons given to the tenant, in the order they were given; those that do not
 *     apply to this invoice are skipped
 * @param creditBalance the tenant's credit-note balance available (credited-back notes)
 * @param prepaidBalance the tenant's prepaid wallet balance available
 */
public record InvoiceRequest(
    String invoiceId,
    TenantId tenant,
    Currency currency,
    InvoicePeriod period,
    LocalDate issueDate,
    int paymentTermDays,
    Currency priceCurrency,
    List<ChargeInput> charges,
    List<InvoiceLine> extraLines,
    Map<String, String> descriptions,
    TaxRate taxRate,
    Map<String, TaxRate> chargeTaxRates,
    List<CouponRedemption> coupons,
    Money creditBalance,
    Money prepaidBalance) {

  /**
   * Checks the components, including that every amount given is in the invoice's currency.
   *
   * @throws InvalidInputException if a component is missing or out of range
   * @throws CurrencyMismatchException if the charges, a fixed coupon, a balance or an extra line is
   *     in another currency
   */
  public InvoiceRequest {
    if (invoiceId == null || invoiceId.isBlank()) {
      throw new InvalidInputException("invoice_id", "is required");
    }
    Objects.requireNonNull(tenant, "tenant");
    if (currency == null) {
      throw new InvalidInputException("currency", "is required");
    }
    if (period == null) {
      throw new InvalidInputException("period", "is required");
    }
    if (issueDate == null) {
      throw new InvalidInputException("issue_date", "is required");
    }
    if (paymentTermDays < 0 || paymentTermDays > 365) {
      throw new InvalidInputException("payment_term_days", "is 0 to 365");
    }
    priceCurrency = priceCurrency == null ? currency : priceCurrency;
    if (!priceCurrency.equals(currency)) {
      throw new CurrencyMismatchException("charges", currency, priceCurrency);
    }
    charges = List.copyOf(charges);
    extraLines = List.copyOf(extraLines);
    for (InvoiceLine l : extraLines) {
      if (!l.amount().currency().equals(currency)) {
        throw new CurrencyMismatchException("extra_lines", currency, l.amount().currency());
      }
    }
    descriptions = Map.copyOf(descriptions);
    taxRate = taxRate == null ? TaxRate.DEFAULT : taxRate;
    chargeTaxRates = Map.copyOf(chargeTaxRates);
    coupons = List.copyOf(coupons);
    for (CouponRedemption r : coupons) {
      Money off = r.coupon().amountOff();
      if (off != null && !off.currency().equals(currency)) {
        throw new CurrencyMismatchException(
            "coupon '" + r.coupon().code() + "'", currency, off.currency());
      }
    }
    creditBalance = balance("credit_balance", currency, creditBalance);
    prepaidBalance = balance("prepaid_balance", currency, prepaidBalance);
  }

  /** A builder for a request with the required parts; the rest defaults as documented. */
  public static Builder builder(
      String invoiceId, TenantId tenant, Currency currency, InvoicePeriod period, LocalDate issue) {
    return new Builder(invoiceId, tenant, currency, period, issue);
  }

  /** The tax rate of a charge: the tenant's exemption, else its override, else the tenant's. */
  public TaxRate taxRateOf(String chargeCode) {
    if (taxRate.exempt()) {
      return taxRate;
    }
    return chargeTaxRates.getOrDefault(chargeCode, taxRate);
  }

  private static Money balance(String field, Currency currency, Money m) {
    if (m == null) {
      return Money.zero(currency);
    }
    if (!m.currency().equals(currency)) {
      throw new CurrencyMismatchException(field, currency, m.currency());
    }
    if (m.isNegative()) {
      throw new InvalidInputException(field, "a balance is zero or more");
    }
    return m;
  }

  /** Builds an {@link InvoiceRequest}. Not thread-safe. */
  public static final class Builder {
    private final String invoiceId;
    private final TenantId tenant;
    private final Currency currency;
    private final InvoicePeriod period;
    private final LocalDate issueDate;
    private int paymentTermDays = Invoice.DEFAULT_PAYMENT_TERM_DAYS;
    private Currency priceCurrency;
    private final List<ChargeInput> charges = new ArrayList<>();
    private final List<InvoiceLine> extraLines = new ArrayList<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();
    private TaxRate taxRate;
    private final Map<String, TaxRate> chargeTaxRates = new LinkedHashMap<>();
    private final List<CouponRedemption> coupons = new ArrayList<>();
    private Money creditBalance;
    private Money prepaidBalance;

    private Builder(
        String invoiceId,
        TenantId tenant,
        Currency currency,
        InvoicePeriod period,
        LocalDate issueDate) {
      this.invoiceId = invoiceId;
      this.tenant = tenant;
      this.currency = currency;
      this.period = period;
      this.issueDate = issueDate;
    }

    /** Days from issue to due date; 30 when not set. */
    public Builder paymentTermDays(int days) {
      this.paymentTermDays = days;
      return this;
    }

    /** The currency the charges are priced in (the plan version's); the invoice's when not set. */
    public Builder priceCurrency(Currency c) {
      this.priceCurrency = c;
      return this;
    }

    /** Adds a charge already priced. */
    public Builder fee(ChargeFee fee) {
      charges.add(new ChargeInput.Priced(fee));
      return this;
    }

    /** Adds a charge with its usage, for the calculator to price. */
    public Builder usage(Charge charge, Usage usage, BigDecimal periodFraction) {
      charges.add(new ChargeInput.Unpriced(charge, usage, periodFraction));
      return this;
    }

    /** Adds a charge for a full period with its usage. */
    public Builder usage(Charge charge, Usage usage) {
      return usage(charge, usage, BigDecimal.ONE);
    }

    /** Adds a line not produced by a charge, such as a correction for late usage. */
    public Builder extraLine(InvoiceLine line) {
      extraLines.add(line);
      return this;
    }

    /** The description of a charge's line. */
    public Builder description(String chargeCode, String description) {
      descriptions.put(chargeCode, description);
      return this;
    }

    /** The tenant's tax rate (or {@link TaxRate#EXEMPT}); 10 percent when not set. */
    public Builder taxRate(TaxRate rate) {
      this.taxRate = rate;
      return this;
    }

    /** A tax rate for one charge that differs from the tenant's. */
    public Builder chargeTaxRate(String chargeCode, TaxRate rate) {
      chargeTaxRates.put(chargeCode, rate);
      return this;
    }

    /** Adds a coupon given to the tenant (applied in the order added, if it applies). */
    public Builder coupon(CouponRedemption redemption) {
      coupons.add(redemption);
      return this;
    }

    /** The tenant's credit-note balance available. */
    public Builder creditBalance(Money balance) {
      this.creditBalance = balance;
      return this;
    }

    /** The tenant's prepaid wallet balance available. */
    public Builder prepaidBalance(Money balance) {
      this.prepaidBalance = balance;
      return this;
    }

    /**
     * The request.
     *
     * @throws InvalidInputException if a part is missing or out of range
     * @throws CurrencyMismatchException if an amount is in another currency than the invoice
     */
    public InvoiceRequest build() {
      return new InvoiceRequest(
          invoiceId,
          tenant,
          currency,
          period,
          issueDate,
          paymentTermDays,
          priceCurrency,
          charges,
          extraLines,
          descriptions,
          taxRate,
          chargeTaxRates,
          coupons,
          creditBalance,
          prepaidBalance);
    }
  }
}
