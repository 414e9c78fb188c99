package dev.tenantkit.tenancy.config;

import dev.tenantkit.tenancy.InvalidInputException;
import java.util.Objects;

/**
 * A setting of the host's configuration has a value Tenantkit cannot use. {@link #key()} is the
 * full key as the host wrote it (an init-param name, or a property name such as {@code
 * tenantkit.quotas.plans.team.api-calls.period}), and {@link #problem()} says what is wrong with
 * it, without repeating the key, so each host can phrase the report in its own terms.
 */
public final class InvalidSettingException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final String problem;

  /**
   * @param key the full key of the setting
   * @param problem what is wrong with its value; never the value of a secret
   */
  public InvalidSettingException(String key, String problem) {
    super(
        Objects.requireNonNull(key, "key"), key + " " + Objects.requireNonNull(problem, "problem"));
    this.problem = problem;
  }

  /** The full key of the offending setting (the same as {@link #field()}). */
  public String key() {
    return field();
  }

  /** What is wrong with the value, without the key. */
  public String problem() {
    return problem;
  }
}
