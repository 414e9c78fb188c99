package dev.tenantkit.billing.jdbc;

/**
 * A stored billing document (a plan version's prices, an invoice) cannot be read by this build: its
 * {@code schema_version} is one this build has no reader for (a row written before schema versions
 * existed has version 0, which no build reads; a row written by a newer build has a version above
 * the ones known here), or its text is not of the form its version names. The row is left as it is.
 * This is a fault of the stored data or of the deployment, not of a caller's input, so it is not an
 * {@link dev.tenantkit.tenancy.InvalidInputException}. Immutable.
 */
public final class StoredDocumentException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The {@code schema_version} of the documents this build writes and reads. */
  public static final int CURRENT = 1;

  private final int schemaVersion;

  StoredDocumentException(String what, int schemaVersion, String problem, Throwable cause) {
    super(what + " (schema_version " + schemaVersion + "): " + problem, cause);
    this.schemaVersion = schemaVersion;
  }

  /** Refuses a schema version this build does not read. */
  static StoredDocumentException unsupported(String what, int schemaVersion) {
    String problem =
        schemaVersion == 0
            ? "written before stored documents had a schema version (a pre-release build); such"
                + " rows are not supported: publish the plan again, or delete and bill the invoice"
                + " again (docs/billing.md, Storage)"
            : "this build reads schema_version "
                + CURRENT
                + " only; the row was written by "
                + (schemaVersion > CURRENT ? "a newer" : "an unknown")
                + " build";
    return new StoredDocumentException(what, schemaVersion, problem, null);
  }

  /** Checks that {@code schemaVersion} is one this build reads. */
  static void requireSupported(String what, int schemaVersion) {
    if (schemaVersion != CURRENT) {
      throw unsupported(what, schemaVersion);
    }
  }

  /** The schema version of the row that could not be read. */
  public int schemaVersion() {
    return schemaVersion;
  }
}
