package dev.tenantkit.adapters.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.adapters.spring.internal.InvalidPropertyException;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Assertions on a context that must not start because of a bad {@code tenantkit.*} property. */
final class StartupFailures {
  private StartupFailures() {}

  /** The {@link InvalidPropertyException} in a startup failure's causes, or null. */
  static InvalidPropertyException invalidProperty(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidPropertyException e) {
        return e;
      }
    }
    return null;
  }

  /**
   * Asserts that {@code runner} fails to start, naming {@code property} and saying {@code problem}.
   */
  static void assertFailsNaming(
      WebApplicationContextRunner runner, String property, String problem) {
    runner.run(
        ctx -> {
          assertThat(ctx).hasFailed();
          InvalidPropertyException cause = invalidProperty(ctx.getStartupFailure());
          assertThat(cause).as("cause of %s", ctx.getStartupFailure()).isNotNull();
          assertThat(cause.property()).isEqualTo(property);
          assertThat(cause.getMessage()).contains(problem);
        });
  }
}
