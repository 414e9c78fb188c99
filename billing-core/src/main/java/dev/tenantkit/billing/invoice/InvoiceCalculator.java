package dev.tenantkit.billing.invoice;

/**
 * Computes a tenant's draft invoice for a period: the design's named interface for billing. A pure
 * function: no I/O and no clock; everything comes in the {@link InvoiceRequest}, so the same
 * request always gives the same invoice (what makes a billing run repeatable and a preview equal to
 * the invoice). Implementations are thread-safe.
 *
 * <p>The composition order of {@link #standard()} (docs/billing.md, "Composition order"):
 *
 * <ol>
 *   <li>fees: each charge priced, one line each, rounded half-up once per line; the subtotal sums
 *       the rounded lines;
 *   <li>coupons, in the order given, each on what the previous ones left, capped there;
 *   <li>tax, per rate, on the lines' rounded amounts less their proportional share of the coupons,
 *       rounded once per rate for the whole invoice;
 *   <li>the tenant's credit-note balance, up to the total;
 *   <li>the tenant's prepaid wallet, up to what is left: the amount due.
 * </ol>
 */
public interface InvoiceCalculator {

  /**
   * The draft invoice for the request.
   *
   * @throws dev.tenantkit.tenancy.InvalidInputException if the request cannot be priced (a charge
   *     refuses its usage, a line amount is negative)
   */
  Invoice calculate(InvoiceRequest request);

  /** The calculator that follows the composition order above. */
  static InvoiceCalculator standard() {
    return StandardInvoiceCalculator.INSTANCE;
  }
}
