package dev.tenantkit.tenancy;

/** A value given to Tenantkit broke a documented rule; nothing was changed. */
public class InvalidInputException extends TenantkitException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field the name of the offending field or argument
   * @param message what was wrong with it
   */
  public InvalidInputException(String field, String message) {
    this("invalid-input", field, message);
  }

  /**
   * For subclasses with their own code.
   *
   * @param code the stable slug of the error
   * @param field the name of the offending field
   * @param message what was wrong with it
   */
  protected InvalidInputException(String code, String field, String message) {
    super(code, message);
    this.field = field;
  }

  /** The name of the field or argument that was wrong. */
  public String field() {
    return field;
  }
}
