package dev.tenantkit.tenancy.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Drops the PostgreSQL databases a top-level test class (with its nested classes) created through
 * {@link PostgresFixture#newDatabase()} once the class is done, after its {@code @AfterAll}
 * methods.
 *
 * <p>Why: every test takes a fresh database (about 300 files, 7 MB each), and a module's suite
 * creates hundreds; left in place, the fixture's shutdown hook had to delete them all with the
 * server's data directory, which took longer than the 30 seconds Surefire grants a fork after
 * {@code System.exit}, so every build waited 30 seconds and the killed fork left the partly deleted
 * directory in {@code /tmp}.
 *
 * <p>Registered for every test class by JUnit's extension auto-detection: this class is listed in
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} of the tenancy-core test-jar,
 * and a module turns detection on with {@code junit.jupiter.extensions.autodetection.enabled=true}
 * in its {@code junit-platform.properties}. A class that created no database costs nothing (the
 * server is not started for it). Assumes test classes run one at a time in a JVM, as Surefire runs
 * them here (no JUnit parallel execution).
 */
public final class DropTestDatabases implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DropTestDatabases.class);
  private static final String KEPT = "databases-before";

  @Override
  public void beforeAll(ExtensionContext context) {
    if (topLevel(context)) {
      context.getStore(NAMESPACE).put(KEPT, PostgresFixture.created());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (topLevel(context)) {
      Integer kept = context.getStore(NAMESPACE).get(KEPT, Integer.class);
      if (kept != null) {
        PostgresFixture.dropCreatedAfter(kept);
      }
    }
  }

  /**
   * A class directly under the engine, not a nested class, whose outer class owns its databases.
   */
  private static boolean topLevel(ExtensionContext context) {
    return context.getParent().map(p -> p.getParent().isEmpty()).orElse(false);
  }
}
