package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a credit note should credit: the whole of what is left creditable on an invoice, or given
 * amounts on given lines (before tax; the note adds the tax). Immutable.
 *
 * @param id the credit note's id
 * @param issueDate the date of issue
 * @param reason why
 * @param description free text; may be empty
 * @param method refund or credit back
 * @param lineAmounts per line index, the amount to credit before tax; empty to credit all that is
 *     left
 */
public record CreditNoteRequest(
    String id,
    LocalDate issueDate,
    CreditNoteReason reason,
    String description,
    CreditNoteMethod method,
    Map<Integer, Money> lineAmounts) {

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if a component is missing or a line amount is not over zero
   */
  public CreditNoteRequest {
    if (id == null || id.isBlank()) {
      throw new InvalidInputException("id", "is required");
    }
    Objects.requireNonNull(issueDate, "issueDate");
    if (reason == null) {
      throw new InvalidInputException("reason", "is required");
    }
    description = description == null ? "" : description;
    if (method == null) {
      throw new InvalidInputException("method", "is refund or credit_back");
    }
    for (Map.Entry<Integer, Money> e : lineAmounts.entrySet()) {
      if (e.getValue() == null || e.getValue().isNegative() || e.getValue().isZero()) {
        throw new InvalidInputException(
            "items", "line " + e.getKey() + ": a credited amount is over zero");
      }
    }
    lineAmounts = java.util.Collections.unmodifiableMap(new TreeMap<>(lineAmounts));
  }

  /** Credits everything still creditable on the invoice. */
  public static CreditNoteRequest whole(
      String id,
      LocalDate issueDate,
      CreditNoteReason reason,
      String description,
      CreditNoteMethod method) {
    return new CreditNoteRequest(id, issueDate, reason, description, method, Map.of());
  }

  /** Credits these amounts (before tax) on these lines. */
  public static CreditNoteRequest lines(
      String id,
      LocalDate issueDate,
      CreditNoteReason reason,
      String description,
      CreditNoteMethod method,
      Map<Integer, Money> amounts) {
    return new CreditNoteRequest(id, issueDate, reason, description, method, amounts);
  }

  /** Whether the request credits everything left. */
  public boolean isWhole() {
    return lineAmounts.isEmpty();
  }
}
