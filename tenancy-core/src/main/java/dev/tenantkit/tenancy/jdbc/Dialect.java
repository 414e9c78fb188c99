package dev.tenantkit.tenancy.jdbc;

import java.util.Locale;

/**
 * The SQL databases Tenantkit's JDBC backends run on. H2 runs in PostgreSQL compatibility mode, so
 * both dialects share one SQL text except where a feature exists only on PostgreSQL (row-level
 * security); such SQL lives in the vendor migration folder.
 */
public enum Dialect {
  /** H2 2.x in PostgreSQL mode: the embedded default. */
  H2("h2"),
  /** PostgreSQL: production. */
  POSTGRESQL("postgresql");

  private final String vendor;

  Dialect(String vendor) {
    this.vendor = vendor;
  }

  /**
   * The name of this dialect's migration folder, substituted for {@code {vendor}} in migration
   * locations: {@code h2} or {@code postgresql}.
   */
  public String vendor() {
    return vendor;
  }

  /**
   * The dialect of a JDBC database product name, as returned by {@link
   * java.sql.DatabaseMetaData#getDatabaseProductName()}.
   *
   * @throws IllegalArgumentException if the product is neither H2 nor PostgreSQL
   */
  static Dialect ofProductName(String productName) {
    String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    if (p.equals("h2")) {
      return H2;
    }
    if (p.equals("postgresql")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported database '" + productName + "': Tenantkit runs on H2 and PostgreSQL");
  }
}
