package dev.tenantkit.tenancy;

import java.util.Objects;

/**
 * Base of every exception Tenantkit throws on purpose. Each subclass has a stable {@link #code()},
 * a short kebab-case slug that adapters turn into the {@code type} of an RFC 9457 problem; the slug
 * is a public contract and never changes for an existing error.
 */
public abstract class TenantkitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  /**
   * @param code the stable slug of this error, such as {@code tenant-not-found}
   * @param message a message that says what was wrong, fit to show to the caller
   */
  protected TenantkitException(String code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * @param code the stable slug of this error
   * @param message a message that says what was wrong
   * @param cause the underlying failure
   */
  protected TenantkitException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The stable slug of this error, used as the last segment of the problem type URI. */
  public String code() {
    return code;
  }
}
