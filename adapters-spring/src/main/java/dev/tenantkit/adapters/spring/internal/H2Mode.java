package dev.tenantkit.adapters.spring.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Refuses an H2 database that is not in PostgreSQL mode, which the metering and quota stores need
 * ({@code ON CONFLICT}, {@code RETURNING}): an H2 URL the application sets without it, or a test
 * database Spring Boot puts in place of the application's, is in H2's default mode, and the stores
 * would fail on every write. Stateless.
 */
public final class H2Mode {
  /**
   * The URL settings Tenantkit's embedded database uses: PostgreSQL mode, and closing with the pool
   * rather than in H2's own exit hook, which would race the application's shutdown.
   */
  public static final String SETTINGS =
      "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";

  private H2Mode() {}

  /**
   * Checks {@code dataSource}; does nothing for databases other than H2.
   *
   * @throws InvalidPropertyException naming {@code spring.datasource.url} if it is H2 in another
   *     mode
   */
  public static void check(DataSource dataSource) {
    String mode;
    try (Connection c = dataSource.getConnection()) {
      if (!c.getMetaData().getDatabaseProductName().equalsIgnoreCase("H2")) {
        return;
      }
      try (Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "select setting_value from information_schema.settings"
                      + " where upper(setting_name) = 'MODE'")) {
        mode = r.next() ? r.getString(1) : "";
      }
    } catch (SQLException e) {
      // The store's own start-up reports an unreachable database with its cause.
      return;
    }
    if (!mode.toLowerCase(Locale.ROOT).contains("postgresql")) {
      throw new InvalidPropertyException(
          "spring.datasource.url",
          "names an H2 database in "
              + (mode.isEmpty() ? "its default" : mode)
              + " mode, but Tenantkit's usage and quota tables need H2's PostgreSQL mode. Add ;"
              + SETTINGS
              + " to the URL, or leave spring.datasource.url unset to use Tenantkit's embedded"
              + " database");
    }
  }
}
