package dev.tenantkit.billing.invoice;

import dev.tenantkit.tenancy.InvalidInputException;
import java.util.List;

/**
 * Who issues the invoices (the platform operator, or one of its billing entities): printed on every
 * invoice, and the owner of a number sequence. Immutable.
 *
 * @param name the legal name
 * @param address the postal address, one entry per printed line
 * @param taxId the tax (VAT, GST, EIN) id, or empty when none
 * @param numberPrefix the prefix of its invoice numbers, such as {@code TK}
 */
public record Issuer(String name, List<String> address, String taxId, String numberPrefix) {

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if the name is blank or the prefix is not {@code
   *     [A-Z][A-Z0-9]{0,9}}
   */
  public Issuer {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("issuer.name", "an issuer has a name");
    }
    address = List.copyOf(address);
    taxId = taxId == null ? "" : taxId;
    InvoiceNumber.requireValidPrefix(numberPrefix);
  }

  /**
   * This issuer's invoice number for a year and a sequence the store allocated.
   *
   * @throws InvalidInputException if the year or sequence is out of range
   */
  public InvoiceNumber number(int year, int sequence) {
    return new InvoiceNumber(numberPrefix, year, sequence);
  }
}
