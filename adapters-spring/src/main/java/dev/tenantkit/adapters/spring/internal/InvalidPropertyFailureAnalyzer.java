package dev.tenantkit.adapters.spring.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidPropertyException} as a startup failure that names the property and says
 * how to fix it, instead of a bean creation stack trace. Registered in {@code
 * META-INF/spring.factories}; stateless and thread-safe.
 */
public final class InvalidPropertyFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidPropertyException> {

  /** Creates the analyzer; Spring Boot instantiates it. */
  public InvalidPropertyFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidPropertyException cause) {
    return new FailureAnalysis(
        "Tenantkit cannot start: the property '" + cause.property() + "' " + cause.problem() + ".",
        "Correct '"
            + cause.property()
            + "' in your application's configuration (see docs/spring-boot.md for every"
            + " tenantkit.* property), or set tenantkit.enabled=false to turn Tenantkit off.",
        cause);
  }
}
