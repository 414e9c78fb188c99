package dev.tenantkit.metering.quota;

import dev.tenantkit.tenancy.InvalidInputException;

/**
 * A plan catalog file could not be read: bad syntax, a missing or unknown field, or a value that
 * breaks a rule. The message names the file and the path of the offending field, such as {@code
 * plans.free.limits.api_calls.per}; {@link #field()} is that path.
 */
public final class InvalidPlanCatalogException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final String source;

  /**
   * @param source the file or other source being read, for the message
   * @param path the path of the offending field inside the document, or {@code ""} for the whole
   * @param problem what was wrong
   */
  public InvalidPlanCatalogException(String source, String path, String problem) {
    super(
        "quota-catalog-invalid",
        path,
        source + (path.isEmpty() ? "" : ": " + path) + ": " + problem);
    this.source = source;
  }

  /** The file or other source that was being read. */
  public String source() {
    return source;
  }
}
