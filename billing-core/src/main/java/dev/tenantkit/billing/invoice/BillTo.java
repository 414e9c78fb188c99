package dev.tenantkit.billing.invoice;

import dev.tenantkit.tenancy.InvalidInputException;
import java.util.List;

/**
 * The billed tenant's details as printed on its invoices: every field is tenant-supplied text,
 * which renderers escape. Immutable.
 *
 * @param name the tenant's legal or display name
 * @param address the postal address, one entry per printed line
 * @param taxId the tenant's tax id, or empty when none
 * @param email where invoices are sent, or empty
 */
public record BillTo(String name, List<String> address, String taxId, String email) {

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if the name is blank
   */
  public BillTo {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("bill_to.name", "a billed tenant has a name");
    }
    address = List.copyOf(address);
    taxId = taxId == null ? "" : taxId;
    email = email == null ? "" : email;
  }
}
