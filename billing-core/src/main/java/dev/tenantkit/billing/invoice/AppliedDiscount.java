package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import java.util.Objects;

/**
 * A coupon as applied to one invoice: which coupon and how much it took off, rounded to the
 * currency. Immutable.
 *
 * @param couponCode the coupon's code
 * @param description what the reader sees, such as {@code "WELCOME: 20% off"}
 * @param amount what the coupon took off the invoice, rounded, never negative
 */
public record AppliedDiscount(String couponCode, String description, Money amount) {

  /** Checks that every component is present. */
  public AppliedDiscount {
    Objects.requireNonNull(couponCode, "couponCode");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(amount, "amount");
  }
}
