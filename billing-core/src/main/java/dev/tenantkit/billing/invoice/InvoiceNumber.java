package dev.tenantkit.billing.invoice;

import dev.tenantkit.tenancy.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A finalized invoice's number, {@code TK-2026-000042}: the issuer's prefix, the year of issue and
 * a six-digit sequence. The sequence is gap-free per issuer and year; allocating it is the job of
 * the invoice store (inside the transaction that finalizes), not of this value. Immutable.
 *
 * @param prefix the issuer's prefix, {@code [A-Z][A-Z0-9]{0,9}}
 * @param year the year of issue, 1000 to 9999
 * @param sequence the position in the issuer's year, 1 to 999,999
 */
public record InvoiceNumber(String prefix, int year, int sequence) {
  private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9]{0,9}");
  private static final Pattern NUMBER =
      Pattern.compile("([A-Z][A-Z0-9]{0,9})-([0-9]{4})-([0-9]{6})");

  /** The largest sequence that fits six digits. */
  public static final int MAX_SEQUENCE = 999_999;

  /**
   * Checks the parts.
   *
   * @throws InvalidInputException if a part is out of its range
   */
  public InvoiceNumber {
    requireValidPrefix(prefix);
    if (year < 1000 || year > 9999) {
      throw new InvalidInputException("year", "an invoice year has four digits");
    }
    if (sequence < 1 || sequence > MAX_SEQUENCE) {
      throw new InvalidInputException("sequence", "an invoice sequence is 1 to 999999");
    }
  }

  /**
   * Checks an issuer's prefix.
   *
   * @throws InvalidInputException if it is not {@code [A-Z][A-Z0-9]{0,9}}
   */
  static void requireValidPrefix(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new InvalidInputException("prefix", "an invoice prefix is [A-Z][A-Z0-9]{0,9}");
    }
  }

  /**
   * The number of this text.
   *
   * @throws InvalidInputException if the text is not {@code PREFIX-YYYY-NNNNNN}
   */
  public static InvoiceNumber parse(String text) {
    Matcher m = text == null ? null : NUMBER.matcher(text);
    if (m == null || !m.matches()) {
      throw new InvalidInputException("number", "an invoice number looks like TK-2026-000042");
    }
    return new InvoiceNumber(
        m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  /** {@code TK-2026-000042}. */
  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%s-%04d-%06d", prefix, year, sequence);
  }
}
