package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.tenancy.TenantkitException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@code tenantkit.*} property has a value Tenantkit cannot start with. Thrown while the
 * application context starts; {@link InvalidPropertyFailureAnalyzer} turns it into Spring Boot's
 * startup failure report.
 */
public final class InvalidPropertyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final String problem;

  /**
   * @param property the full property name, such as {@code tenantkit.operator-key}
   * @param problem what is wrong with its value; never the value of a secret
   */
  public InvalidPropertyException(String property, String problem) {
    this(property, problem, null);
  }

  /**
   * @param property the full property name
   * @param problem what is wrong with its value
   * @param cause the builder's exception that found the problem, or {@code null}
   */
  public InvalidPropertyException(String property, String problem, Throwable cause) {
    super("Invalid Tenantkit configuration: " + property + " " + problem, cause);
    this.property = Objects.requireNonNull(property, "property");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /**
   * Runs a Tenantkit builder step fed from {@code property} and, when the builder refuses the value
   * with an {@link IllegalArgumentException} or a {@link TenantkitException}, rethrows that as an
   * exception naming the property.
   *
   * @param property the full property name the step's input came from
   * @param step the builder call
   * @return what the step returned
   * @throws InvalidPropertyException if the builder refused the value
   */
  public static <T> T check(String property, Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException | TenantkitException e) {
      throw new InvalidPropertyException(property, "is not valid: " + e.getMessage(), e);
    }
  }

  /** The full name of the offending property. */
  public String property() {
    return property;
  }

  /** What is wrong with the property's value. */
  public String problem() {
    return problem;
  }
}
