package dev.tenantkit.examples.sample.web;

import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * The problem codes the sample app adds to Tenantkit's; the problem type is {@code
 * https://tenantkit.dev/problems/<code>} like theirs.
 */
public final class ProblemCodes {
  /** 413: an upload over the tenant's maximum file size or the server's multipart limit. */
  public static final String FILE_TOO_LARGE = "file-too-large";

  /** 415: a file type the tenant's settings do not allow. */
  public static final String UNSUPPORTED_FILE_TYPE = "unsupported-file-type";

  /** 416: a {@code Range} header that the file's length cannot satisfy. */
  public static final String RANGE_NOT_SATISFIABLE = "range-not-satisfiable";

  private ProblemCodes() {}

  /**
   * The code for a refusal that only has a status (Spring MVC's own, or an error the container
   * forwards): Tenantkit's code where it has one ({@code route-not-found}, {@code
   * method-not-allowed}, {@code unsupported-media-type}, {@code invalid-input}, {@code
   * payload-too-large}), else the status's reason phrase as a slug ({@code not-acceptable}).
   */
  public static String forStatus(int status) {
    return switch (status) {
      case 400 -> "invalid-input";
      case 404 -> "route-not-found";
      case 405 -> "method-not-allowed";
      case 413 -> "payload-too-large";
      case 415 -> "unsupported-media-type";
      case 416 -> RANGE_NOT_SATISFIABLE;
      case 500 -> "internal-error";
      default -> {
        HttpStatus known = HttpStatus.resolve(status);
        yield known == null
            ? (status >= 500 ? "server-error" : "client-error")
            : known.name().toLowerCase(Locale.ROOT).replace('_', '-');
      }
    };
  }
}
