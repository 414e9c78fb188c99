package dev.tenantkit.metering.ingest;

import dev.tenantkit.tenancy.TenantkitException;

/**
 * An ingestion request is larger than {@link UsageIngestor#MAX_BYTES} bytes or holds more than
 * {@link UsageIngestor#MAX_EVENTS} events; nothing was recorded. Over HTTP a 413 with code {@value
 * #CODE}.
 */
public final class IngestLimitException extends TenantkitException {
  private static final long serialVersionUID = 1L;

  /** The code of this problem. */
  public static final String CODE = "payload-too-large";

  /**
   * @param detail which limit was passed
   */
  public IngestLimitException(String detail) {
    super(CODE, detail);
  }
}
