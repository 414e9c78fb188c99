package dev.tenantkit.billing.internal;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.tenancy.InvalidInputException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The argument checks and the listing cursor every {@code BillingStore} backend shares, so that the
 * memory and JDBC stores refuse the same input the same way. Internal: not part of the API.
 */
public final class StoreArguments {
  /** The longest idempotency key or ledger entry key. */
  public static final int MAX_KEY_LENGTH = 200;

  private StoreArguments() {}

  /**
   * Checks a draft and its idempotency key.
   *
   * @throws InvalidInputException if the invoice is not a draft or the key is invalid
   */
  public static void draft(Invoice draft, String key) {
    Objects.requireNonNull(draft, "draft");
    if (!draft.isDraft()) {
      throw new InvalidInputException("status", "only a draft is stored this way");
    }
    key("idempotency_key", key);
  }

  /**
   * Checks a key: 1 to {@value #MAX_KEY_LENGTH} characters.
   *
   * @throws InvalidInputException if it is not
   */
  public static void key(String field, String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new InvalidInputException(field, "a key is 1 to " + MAX_KEY_LENGTH + " characters");
    }
  }

  /**
   * The key a voided invoice keeps instead of its idempotency key: unique per tenant as the id is,
   * and never one a caller's key can be ({@code void:} is not a key the run makes).
   */
  public static String retiredKey(String invoiceId) {
    return "void:" + invoiceId;
  }

  /**
   * Checks an amount taken from or added to a balance.
   *
   * @throws InvalidInputException if it is missing, zero or negative
   */
  public static void positive(Money amount) {
    if (amount == null || amount.isZero() || amount.isNegative()) {
      throw new InvalidInputException("amount", "a balance changes by a positive amount");
    }
  }

  /**
   * Checks a page size.
   *
   * @throws InvalidInputException if it is below 1
   */
  public static void limit(int limit) {
    if (limit < 1) {
      throw new InvalidInputException("limit", "a page holds 1 or more items");
    }
  }

  /** The cursor after an invoice in a tenant's newest-first listing. */
  public static String cursor(Invoice last) {
    return last.period().start() + "/" + last.id();
  }

  /**
   * A decoded cursor: the period start and id of the last invoice of the previous page.
   *
   * @param periodStart the period start
   * @param id the invoice id
   */
  public record Cursor(LocalDate periodStart, String id) {

    /**
     * Reads a cursor made by {@link StoreArguments#cursor}.
     *
     * @throws InvalidInputException if it is not such a cursor
     */
    public static Cursor parse(String cursor) {
      int slash = cursor.indexOf('/');
      if (slash < 0 || slash == cursor.length() - 1) {
        throw new InvalidInputException("cursor", "is not a cursor of this listing");
      }
      try {
        return new Cursor(LocalDate.parse(cursor.substring(0, slash)), cursor.substring(slash + 1));
      } catch (DateTimeParseException e) {
        throw new InvalidInputException("cursor", "is not a cursor of this listing");
      }
    }

    /** Whether an invoice comes after this cursor in the newest-first order. */
    public boolean isBefore(Invoice invoice) {
      int byPeriod = invoice.period().start().compareTo(periodStart);
      return byPeriod < 0 || (byPeriod == 0 && invoice.id().compareTo(id) < 0);
    }
  }
}
