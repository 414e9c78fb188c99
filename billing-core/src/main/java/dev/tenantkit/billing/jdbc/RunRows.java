package dev.tenantkit.billing.jdbc;

import dev.tenantkit.billing.spi.BillingRunRecord;
import dev.tenantkit.billing.spi.Versioned;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The billing runs' records: a platform table ({@code tenantkit_billing_runs}), read and written
 * outside any tenant's transaction, with a compare-and-set on its version column.
 */
final class RunRows {
  private static final RowMapper<Versioned<BillingRunRecord>> VERSIONED =
      (rs, ctx) ->
          new Versioned<>(Documents.read(rs.getString(1), BillingRunRecord.class), rs.getLong(2));

  private final JdbcStorage storage;

  RunRows(JdbcStorage storage) {
    this.storage = storage;
  }

  Versioned<BillingRunRecord> insert(BillingRunRecord run) {
    try {
      storage.useTransaction(
          h ->
              h.createUpdate(
                      "insert into tenantkit_billing_runs (id, period, status, started_at,"
                          + " document, version) values (:id, :period, :status, :startedAt,"
                          + " :document, 1)")
                  .bind("id", run.id())
                  .bind("period", run.period())
                  .bind("status", run.status().name())
                  .bind("startedAt", run.startedAt())
                  .bind("document", Documents.write(run))
                  .execute());
      return new Versioned<>(run, 1);
    } catch (JdbiException e) {
      if (JdbcStorage.isUniqueViolation(e)) {
        throw new ConflictException("a billing run with this id exists");
      }
      throw e;
    }
  }

  Optional<Versioned<BillingRunRecord>> find(String id) {
    return storage.inTransaction(
        h ->
            h.createQuery("select document, version from tenantkit_billing_runs where id = :id")
                .bind("id", id)
                .map(VERSIONED)
                .findOne());
  }

  Optional<Versioned<BillingRunRecord>> update(BillingRunRecord run, long expectedVersion) {
    int changed =
        storage.inTransaction(
            h ->
                h.createUpdate(
                        "update tenantkit_billing_runs set status = :status, document = :document,"
                            + " version = version + 1 where id = :id and version = :expected")
                    .bind("id", run.id())
                    .bind("status", run.status().name())
                    .bind("document", Documents.write(run))
                    .bind("expected", expectedVersion)
                    .execute());
    return changed == 1 ? Optional.of(new Versioned<>(run, expectedVersion + 1)) : Optional.empty();
  }

  Optional<Versioned<BillingRunRecord>> latest(String period) {
    return storage.inTransaction(
        h ->
            h.createQuery(
                    "select document, version from tenantkit_billing_runs where period = :period"
                        + " order by started_at desc, id desc limit 1")
                .bind("period", period)
                .map(VERSIONED)
                .findOne());
  }
}
