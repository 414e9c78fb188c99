package dev.tenantkit.examples.sample.web;

/**
 * The problem codes the sample app adds to Tenantkit's; the problem type is {@code
 * https://tenantkit.dev/problems/<code>} like theirs.
 */
public final class ProblemCodes {
  /** 413: an upload over the tenant's maximum file size or the server's multipart limit. */
  public static final String FILE_TOO_LARGE = "file-too-large";

  /** 415: a file type the tenant's settings do not allow. */
  public static final String UNSUPPORTED_FILE_TYPE = "unsupported-file-type";

  private ProblemCodes() {}
}
