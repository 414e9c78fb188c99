package dev.tenantkit.metering.quota.jdbc;

import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cells of one {@link JdbcQuotaStore}, one per tenant and limit, created on first use and kept,
 * so each holds the override it last read for as long as the store lives. Thread-safe.
 */
final class QuotaCells {
  private final JdbcStorage storage;
  private final CellStatements statements;
  private final PostgresFastPath fastPath;
  private final ConcurrentHashMap<TenantId, ConcurrentHashMap<String, JdbcQuotaCell>> cells =
      new ConcurrentHashMap<>();

  /**
   * @param fastPath PostgreSQL's fast path, or null on H2
   */
  QuotaCells(JdbcStorage storage, CellStatements statements, PostgresFastPath fastPath) {
    this.storage = storage;
    this.statements = statements;
    this.fastPath = fastPath;
  }

  /**
   * The cell of {@code tenant}'s {@code limit}.
   *
   * @throws NullPointerException if {@code tenant} or {@code limit} is null
   */
  JdbcQuotaCell get(TenantId tenant, String limit) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(limit, "limit");
    return cells
        .computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(limit, l -> new JdbcQuotaCell(tenant, l, storage, statements, fastPath));
  }

  /**
   * Makes this instance's cells of {@code tenant}'s {@code limit} (every limit if null) read the
   * override again, so a change made here applies at once even to decisions that do not reach the
   * database (leases); other instances learn of it from their next statement.
   */
  void forgetOverrides(TenantId tenant, String limit) {
    ConcurrentHashMap<String, JdbcQuotaCell> byLimit = cells.get(tenant);
    if (byLimit != null) {
      byLimit.forEach(
          (l, c) -> {
            if (limit == null || l.equals(limit)) {
              c.forgetOverride();
            }
          });
    }
  }
}
