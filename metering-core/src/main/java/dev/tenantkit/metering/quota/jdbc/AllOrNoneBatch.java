package dev.tenantkit.metering.quota.jdbc;

import static dev.tenantkit.metering.quota.jdbc.CellStatements.requireNonNegative;

import dev.tenantkit.metering.quota.spi.CellResult;
import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * {@link QuotaStore#tryApplyAll} of {@link JdbcQuotaStore}: the operations in one tenant
 * transaction, each as {@link CellStatements} runs it for a cell alone, rolled back on the first
 * that is not applied, after reading the state of the operations it did not try. Thread-safe.
 */
final class AllOrNoneBatch {
  private final JdbcStorage storage;
  private final CellStatements statements;
  private final QuotaCells cells;

  AllOrNoneBatch(JdbcStorage storage, CellStatements statements, QuotaCells cells) {
    this.storage = storage;
    this.statements = statements;
    this.cells = cells;
  }

  /** See {@link QuotaStore#tryApplyAll}. */
  long[] tryApplyAll(TenantId tenant, List<QuotaOperation> operations) {
    Objects.requireNonNull(operations, "operations");
    long[] results = new long[operations.size()];
    try {
      storage.useTenantTransaction(
          tenant,
          h -> {
            for (int i = 0; i < results.length; i++) {
              QuotaOperation op = operations.get(i);
              JdbcQuotaCell cell = cells.get(tenant, op.limit());
              if (op instanceof QuotaOperation.TryAdd add) {
                requireNonNegative(add.amount(), add.ceiling());
                results[i] =
                    statements.add(
                        h,
                        cell,
                        add.periodStart(),
                        add.amount(),
                        add.ceiling(),
                        add.expectedOverride());
              } else {
                QuotaOperation.TryTake take = (QuotaOperation.TryTake) op;
                requireNonNegative(take.cost(), take.burst());
                results[i] =
                    statements.take(
                        h,
                        cell,
                        take.nowNanos(),
                        take.cost(),
                        take.burst(),
                        take.expectedOverride());
              }
              if (!CellResult.isApplied(results[i])) {
                if (CellResult.isRejected(results[i])) {
                  standing(h, tenant, operations, results, i + 1);
                }
                throw new Rejected();
              }
            }
          });
    } catch (Rejected e) {
      // The transaction was rolled back: nothing of the batch is stored.
      return results;
    }
    return results;
  }

  /**
   * The operations of a rejected batch from {@code from} on, not tried: each a rejection of its
   * current state, read in the batch's transaction.
   */
  private void standing(
      Handle h, TenantId tenant, List<QuotaOperation> operations, long[] results, int from) {
    for (int j = from; j < results.length; j++) {
      QuotaOperation op = operations.get(j);
      JdbcQuotaCell cell = cells.get(tenant, op.limit());
      if (op instanceof QuotaOperation.TryAdd add) {
        long used = cell.state(h, CellStatements.USED, add.periodStart()).orElse(0L);
        results[j] = CellResult.rejected(used);
      } else {
        long tat = cell.state(h, CellStatements.TAT, 0).orElse(QuotaStore.FULL_BUCKET);
        results[j] = CellResult.rejected(Math.max(tat, ((QuotaOperation.TryTake) op).nowNanos()));
      }
    }
  }

  /** Rolls back a batch's transaction; carries nothing, as the results are already recorded. */
  private static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejected() {
      super(null, null, false, false);
    }
  }
}
