package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeFee;
import dev.tenantkit.billing.price.Usage;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One charge of an {@link InvoiceRequest}: already priced, or a charge with its usage that the
 * calculator prices with {@link Charge#price(Usage, BigDecimal)}.
 */
public sealed interface ChargeInput {

  /** The charge. */
  Charge charge();

  /** Prices the charge (a pure function). */
  ChargeFee price();

  /**
   * A charge already priced.
   *
   * @param fee the priced charge
   */
  record Priced(ChargeFee fee) implements ChargeInput {
    /** Checks the fee is present. */
    public Priced {
      Objects.requireNonNull(fee, "fee");
    }

    @Override
    public Charge charge() {
      return fee.charge();
    }

    @Override
    public ChargeFee price() {
      return fee;
    }
  }

  /**
   * A charge and the period's usage, priced by the calculator.
   *
   * @param charge the charge
   * @param usage the period's usage ({@link Usage#NONE} for a flat fee)
   * @param periodFraction the part of a full period billed, 0 to 1
   */
  record Unpriced(Charge charge, Usage usage, BigDecimal periodFraction) implements ChargeInput {
    /** Checks every component is present. */
    public Unpriced {
      Objects.requireNonNull(charge, "charge");
      Objects.requireNonNull(usage, "usage");
      Objects.requireNonNull(periodFraction, "periodFraction");
    }

    @Override
    public ChargeFee price() {
      return charge.price(usage, periodFraction);
    }
  }
}
