package dev.tenantkit.billing.plan;

import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.tenancy.InvalidInputException;
import java.util.Currency;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One published version of a plan's prices. A price change makes a new version; invoices and
 * subscriptions name the version they were made with and keep it. Immutable and thread-safe.
 * Versions are platform data (no tenant); {@link dev.tenantkit.billing.plan.spi.PlanVersionStore}
 * numbers them.
 *
 * @param planId the plan, as in the plan catalog and {@link dev.tenantkit.tenancy.Tenant#planId()}
 * @param version the version number, from 1, gap-free per plan
 * @param prices the prices of this version
 * @param fingerprint {@link PlanPrices#fingerprint()} of the prices
 */
public record PlanVersion(String planId, int version, PlanPrices prices, String fingerprint) {
  private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if the plan id is invalid, the version is below 1, the prices are
   *     missing, or the fingerprint is not that of the prices
   */
  public PlanVersion {
    if (planId == null || !ID.matcher(planId).matches()) {
      throw new InvalidInputException(
          "plan", "a plan id is 1 to 64 characters of a-z, 0-9, '-', '_'");
    }
    if (version < 1) {
      throw new InvalidInputException("version", "a plan version is 1 or more");
    }
    if (prices == null) {
      throw new InvalidInputException("prices", "is required");
    }
    if (fingerprint == null || !fingerprint.equals(prices.fingerprint())) {
      throw new InvalidInputException("fingerprint", "is not the fingerprint of the prices");
    }
  }

  /**
   * Version {@code version} of plan {@code planId}, with the prices' fingerprint.
   *
   * @throws InvalidInputException as the constructor
   */
  public static PlanVersion of(String planId, int version, PlanPrices prices) {
    if (prices == null) {
      throw new InvalidInputException("prices", "is required");
    }
    return new PlanVersion(planId, version, prices, prices.fingerprint());
  }

  /** The currency of the prices. */
  public Currency currency() {
    return prices.currency();
  }

  /** The billing interval of the prices. */
  public BillingInterval interval() {
    return prices.interval();
  }

  /** The charges of the prices. */
  public List<PlanCharge> charges() {
    return prices.charges();
  }

  /** The underlying price charges, in order. */
  public List<Charge> priceCharges() {
    return prices.charges().stream().map(PlanCharge::charge).toList();
  }

  /** {@code starter v2}. */
  @Override
  public String toString() {
    return planId + " v" + version;
  }
}
