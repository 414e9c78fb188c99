package dev.tenantkit.billing.run;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.price.ChargeFee;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Corrections for usage that arrived after a period's invoice was finalized: never dropped, never
 * billed twice. Pure functions; stateless and thread-safe.
 *
 * <p>For each usage charge of the period, re-priced on the usage read again: {@code difference =
 * round(fee now) - (the finalized line's amount + the corrections of that charge already billed)}.
 * The difference of rounded amounts makes the invoices together bill exactly what one invoice with
 * all the usage would have, to the cent; a charge re-read with nothing new has a difference of
 * zero, so running the corrections again bills nothing twice.
 *
 * <ul>
 *   <li>A positive difference is a correction line ({@code <code>.correction}, quantity the
 *       quantity added) for the next invoice ({@link BillingInputs.Builder#corrections}).
 *   <li>A negative difference (usage withdrawn, a re-aggregation that lowered the quantity) is not
 *       a line, since an invoice line is never negative: it is a {@link Result#credits() credit}
 *       that the caller issues as a credit note against the finalized invoice (as Lago corrects a
 *       finalized invoice), and that later corrections count as credited.
 * </ul>
 */
public final class Corrections {
  /** The suffix of a correction line's code. */
  public static final String SUFFIX = ".correction";

  private Corrections() {}

  /**
   * The corrections of a period.
   *
   * @param lines correction lines for the next invoice (positive differences)
   * @param credits one per charge whose fee went down: the amount to credit, as a positive amount
   */
  public record Result(List<InvoiceLine> lines, List<Credit> credits) {
    /** Copies the lists. */
    public Result {
      lines = List.copyOf(lines);
      credits = List.copyOf(credits);
    }

    /** Whether nothing is to correct. */
    public boolean isEmpty() {
      return lines.isEmpty() && credits.isEmpty();
    }
  }

  /**
   * A fee that went down after finalization.
   *
   * @param chargeCode the charge
   * @param amount how much less it bills now, positive and rounded
   */
  public record Credit(String chargeCode, Money amount) {
    /** Checks the components. */
    public Credit {
      Objects.requireNonNull(chargeCode, "chargeCode");
      Objects.requireNonNull(amount, "amount");
    }
  }

  /**
   * The corrections of a finalized invoice's usage charges, re-priced as {@code reread}.
   *
   * @param billed the finalized invoice of the period
   * @param earlier the correction lines of this period already put on later invoices
   * @param reread each usage charge of the period priced again on its usage read now
   * @param taxRate the tax rate of the correction lines
   * @throws InvalidInputException if {@code billed} is a draft (a draft is recomputed instead)
   */
  public static Result of(
      Invoice billed, List<InvoiceLine> earlier, List<ChargeFee> reread, TaxRate taxRate) {
    return of(billed, earlier, Map.of(), reread, taxRate);
  }

  /**
   * The corrections of a finalized invoice's usage charges, as {@link #of(Invoice, List, List,
   * TaxRate)}, less what credit notes for corrections already credited per charge (so a reduction
   * credited once is not credited again).
   *
   * @param credited per charge code, what earlier correction credit notes credited, before tax
   * @throws InvalidInputException as {@link #of(Invoice, List, List, TaxRate)}
   */
  public static Result of(
      Invoice billed,
      List<InvoiceLine> earlier,
      Map<String, Money> credited,
      List<ChargeFee> reread,
      TaxRate taxRate) {
    if (billed.status() == InvoiceStatus.DRAFT) {
      throw new InvalidInputException(
          "invoice", "a draft is computed again, not corrected: corrections follow finalization");
    }
    List<InvoiceLine> lines = new ArrayList<>();
    List<Credit> credits = new ArrayList<>();
    Map<String, Money> nowByCode = new LinkedHashMap<>();
    Map<String, BigDecimal> quantityByCode = new LinkedHashMap<>();
    for (ChargeFee fee : reread) {
      // A period with a plan change prices a charge once per version: each part rounded, as billed.
      String code = fee.charge().code();
      nowByCode.merge(code, Money.of(fee.total(), billed.currency()).rounded(), Money::plus);
      quantityByCode.merge(code, fee.quantity(), BigDecimal::add);
    }
    for (Map.Entry<String, Money> e : nowByCode.entrySet()) {
      String code = e.getKey();
      Money was = Money.zero(billed.currency());
      BigDecimal quantity = BigDecimal.ZERO;
      for (InvoiceLine l : billed.lines()) {
        if (l.chargeCode().equals(code)) {
          was = was.plus(l.amount());
          quantity = quantity.add(l.quantity());
        }
      }
      for (InvoiceLine l : earlier) {
        if (l.chargeCode().equals(code + SUFFIX)) {
          was = was.plus(l.amount());
          quantity = quantity.add(l.quantity());
        }
      }
      Money creditedBefore = credited.get(code);
      if (creditedBefore != null) {
        was = was.minus(creditedBefore);
      }
      Money now = e.getValue();
      Money difference = now.minus(was);
      if (difference.isZero()) {
        continue;
      }
      if (difference.isNegative()) {
        credits.add(new Credit(code, difference.negate()));
        continue;
      }
      BigDecimal added = quantityByCode.get(code).subtract(quantity);
      String text =
          "Correction of "
              + code
              + ", "
              + billed.period().start()
              + " to "
              + billed.period().lastDay()
              + " (invoice "
              + (billed.number() == null ? billed.id() : billed.number().toString())
              + "): usage recorded after it was finalized";
      lines.add(
          new InvoiceLine(
              code + SUFFIX,
              text,
              added,
              null,
              List.of(),
              BigDecimal.ZERO,
              BigDecimal.ZERO,
              difference.amount(),
              difference,
              taxRate));
    }
    return new Result(lines, credits);
  }
}
