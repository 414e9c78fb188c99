package dev.tenantkit.billing.plan;

import dev.tenantkit.tenancy.InvalidInputException;

/**
 * The prices of a plan catalog break a rule: bad syntax, an unknown or missing field, an unknown
 * plan or currency, a negative price, an overage charge on a hard limit. The message names the
 * source and the path of the offending field, such as {@code
 * plans.starter.prices.charges[1].limit}; {@link #field()} is that path. Code {@code
 * price-catalog-invalid}.
 */
public final class InvalidPriceCatalogException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final String source;

  /**
   * @param source the file or other source being read, for the message ({@code "catalog"} when
   *     built in Java)
   * @param path the path of the offending field inside the document, or {@code ""} for the whole
   * @param problem what was wrong
   */
  public InvalidPriceCatalogException(String source, String path, String problem) {
    super(
        "price-catalog-invalid",
        path,
        source + (path.isEmpty() ? "" : ": " + path) + ": " + problem);
    this.source = source;
  }

  /** The file or other source that was being read. */
  public String source() {
    return source;
  }
}
