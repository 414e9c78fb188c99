package dev.tenantkit.billing.jdbc;

import dev.tenantkit.billing.internal.StoreArguments;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceStateException;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.spi.DraftInsert;
import dev.tenantkit.billing.spi.InvoiceFilter;
import dev.tenantkit.billing.spi.InvoiceKey;
import dev.tenantkit.billing.spi.Versioned;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/**
 * The invoices table and the issuers' sequences: drafts under their idempotency key, the
 * compare-and-set changes, finalization with its number, and the listings. Each row's document is
 * the invoice in its stored form ({@link InvoiceDocuments}) under its {@code schema_version},
 * checked before the document is parsed; a row this build cannot read throws {@link
 * StoredDocumentException}.
 */
final class InvoiceRows {
  /** Maps {@code schema_version, document, version}. */
  private static final RowMapper<Versioned<Invoice>> VERSIONED =
      (rs, ctx) ->
          new Versioned<>(InvoiceDocuments.read(rs.getInt(1), rs.getString(2)), rs.getLong(3));

  /** Maps {@code schema_version, document}. */
  private static final RowMapper<Invoice> DOCUMENT =
      (rs, ctx) -> InvoiceDocuments.read(rs.getInt(1), rs.getString(2));

  private static final String COLUMNS =
      " set status = :status, invoice_number = :number, total = :total, amount_due = :amountDue,"
          + " issue_date = :issueDate, due_date = :dueDate, schema_version = :schema,"
          + " document = :document, version = version + 1";

  private final JdbcStorage storage;

  InvoiceRows(JdbcStorage storage) {
    this.storage = storage;
  }

  DraftInsert insertDraft(Invoice draft, String key) {
    StoreArguments.draft(draft, key);
    try {
      storage.useTenantTransaction(
          draft.tenant(),
          h ->
              columns(
                      h.createUpdate(
                              "insert into tenantkit_billing_invoices (tenant_id, id,"
                                  + " idempotency_key, period_start, period_end, status, invoice_number,"
                                  + " currency, total, amount_due, issue_date, due_date,"
                                  + " schema_version, document, version) values (:tenant, :id,"
                                  + " :key, :periodStart, :periodEnd, :status, :number, :currency,"
                                  + " :total, :amountDue, :issueDate, :dueDate, :schema,"
                                  + " :document, 1)")
                          .bind("tenant", draft.tenant().value())
                          .bind("id", draft.id())
                          .bind("key", key)
                          .bind("periodStart", draft.period().start())
                          .bind("periodEnd", draft.period().end())
                          .bind("currency", draft.currency().getCurrencyCode()),
                      draft)
                  .execute());
      return new DraftInsert(new Versioned<>(draft, 1), true);
    } catch (JdbiException e) {
      if (!JdbcStorage.isUniqueViolation(e)) {
        throw e;
      }
      // Another call stored this key first (and committed: the unique index waited for it).
      return byKey(draft.tenant(), key)
          .map(existing -> new DraftInsert(existing, false))
          .orElseThrow(
              () ->
                  new ConflictException(
                      "the tenant has an invoice with this id under another key"));
    }
  }

  Optional<Versioned<Invoice>> byKey(TenantId tenant, String key) {
    return storage.inTenantTransaction(
        tenant,
        h ->
            h.createQuery(
                    "select schema_version, document, version from tenantkit_billing_invoices"
                        + " where tenant_id = :tenant and idempotency_key = :key")
                .bind("tenant", tenant.value())
                .bind("key", key)
                .map(VERSIONED)
                .findOne());
  }

  Optional<Versioned<Invoice>> find(TenantId tenant, String id) {
    return storage.inTenantTransaction(tenant, h -> locked(h, tenant, id, false));
  }

  private static Optional<Versioned<Invoice>> locked(
      Handle h, TenantId tenant, String id, boolean forUpdate) {
    return h.createQuery(
            "select schema_version, document, version from tenantkit_billing_invoices"
                + " where tenant_id = :tenant and id = :id"
                + (forUpdate ? " for update" : ""))
        .bind("tenant", tenant.value())
        .bind("id", id)
        .map(VERSIONED)
        .findOne();
  }

  /**
   * In one tenant transaction: locks the invoice, and if it is at {@code expectedVersion} stores
   * what {@code step} makes of it (nothing when the step returns null).
   */
  Optional<Versioned<Invoice>> change(
      TenantId tenant, String id, long expectedVersion, UnaryOperator<Invoice> step) {
    return storage.inTenantTransaction(tenant, h -> change(h, tenant, id, expectedVersion, step));
  }

  private static Optional<Versioned<Invoice>> change(
      Handle h, TenantId tenant, String id, long expectedVersion, UnaryOperator<Invoice> step) {
    Optional<Versioned<Invoice>> current = locked(h, tenant, id, true);
    if (current.isEmpty() || current.get().version() != expectedVersion) {
      return Optional.empty();
    }
    Invoice next = step.apply(current.get().value());
    if (next == null) {
      return Optional.empty();
    }
    if (next.status() == InvoiceStatus.VOID) {
      long notes =
          h.createQuery(
                  "select count(*) from tenantkit_billing_credit_notes"
                      + " where tenant_id = :tenant and invoice_id = :id")
              .bind("tenant", tenant.value())
              .bind("id", id)
              .mapTo(Long.class)
              .one();
      if (notes > 0) {
        throw InvoiceStateException.creditedCannotBeVoided(id);
      }
    }
    // A voided invoice gives its idempotency key up, so the run bills its period again.
    Update update =
        h.createUpdate(
                "update tenantkit_billing_invoices"
                    + COLUMNS
                    + ", idempotency_key = case when :status = 'void' then :retired"
                    + " else idempotency_key end"
                    + " where tenant_id = :tenant and id = :id and version = :expected")
            .bind("tenant", tenant.value())
            .bind("id", id)
            .bind("retired", StoreArguments.retiredKey(id))
            .bind("expected", expectedVersion);
    columns(update, next).execute();
    return Optional.of(new Versioned<>(next, expectedVersion + 1));
  }

  /**
   * Finalizes the draft; {@code then} runs in the same transaction with the finalized invoice (an
   * exception from it rolls everything back, the number included).
   */
  Optional<Versioned<Invoice>> finalizeInvoice(
      TenantId tenant,
      String id,
      long expectedVersion,
      Issuer issuer,
      LocalDate issued,
      BiConsumer<Handle, Invoice> then) {
    int year = issued.getYear();
    ensureSequence(issuer.numberPrefix(), year);
    return storage.inTenantTransaction(
        tenant,
        h -> {
          Optional<Versioned<Invoice>> done =
              change(
                  h,
                  tenant,
                  id,
                  expectedVersion,
                  current -> {
                    // Refuse a non-draft before the sequence row is touched.
                    current.status().transitionTo(InvoiceStatus.FINALIZED);
                    return current.finalizeAs(
                        issuer.number(year, nextNumber(h, issuer.numberPrefix(), year)), issued);
                  });
          done.ifPresent(v -> then.accept(h, v.value()));
          return done;
        });
  }

  /**
   * Takes the next number: the update locks the sequence row until the finalizing transaction ends,
   * so concurrent finalizations of one issuer and year queue here, and a rollback returns the
   * number.
   */
  private static int nextNumber(Handle h, String prefix, int year) {
    h.createUpdate(
            "update tenantkit_billing_invoice_sequences set last_number = last_number + 1"
                + " where issuer_prefix = :prefix and number_year = :year")
        .bind("prefix", prefix)
        .bind("year", year)
        .execute();
    return h.createQuery(
            "select last_number from tenantkit_billing_invoice_sequences"
                + " where issuer_prefix = :prefix and number_year = :year")
        .bind("prefix", prefix)
        .bind("year", year)
        .mapTo(Integer.class)
        .one();
  }

  /**
   * Creates an issuer's sequence row for a year in a transaction of its own, so that the finalizing
   * transaction only ever updates it (two first finalizations of a year racing to insert the row
   * would otherwise fail one of them).
   */
  private void ensureSequence(String prefix, int year) {
    boolean exists =
        storage.inTransaction(
            h ->
                h.createQuery(
                            "select count(*) from tenantkit_billing_invoice_sequences"
                                + " where issuer_prefix = :prefix and number_year = :year")
                        .bind("prefix", prefix)
                        .bind("year", year)
                        .mapTo(Long.class)
                        .one()
                    > 0);
    if (!exists) {
      storage.useTransaction(
          h ->
              h.createUpdate(
                      "insert into tenantkit_billing_invoice_sequences (issuer_prefix, number_year,"
                          + " last_number) values (:prefix, :year, 0) on conflict do nothing")
                  .bind("prefix", prefix)
                  .bind("year", year)
                  .execute());
    }
  }

  Page<Invoice> list(TenantId tenant, String cursor, int limit) {
    StoreArguments.limit(limit);
    StoreArguments.Cursor after = cursor == null ? null : StoreArguments.Cursor.parse(cursor);
    List<Invoice> rows =
        storage.inTenantTransaction(
            tenant,
            h -> {
              Query q =
                  h.createQuery(
                          "select schema_version, document from tenantkit_billing_invoices where"
                              + " tenant_id ="
                              + " :tenant"
                              + (after == null
                                  ? ""
                                  : " and (period_start < :periodStart or (period_start ="
                                      + " :periodStart and id < :id))")
                              + " order by period_start desc, id desc limit :limit")
                      .bind("tenant", tenant.value())
                      .bind("limit", limit + 1);
              if (after != null) {
                q.bind("periodStart", after.periodStart()).bind("id", after.id());
              }
              return q.map(DOCUMENT).list();
            });
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    List<Invoice> page = rows.subList(0, limit);
    return new Page<>(page, StoreArguments.cursor(page.get(limit - 1)));
  }

  List<Invoice> all(InvoiceFilter filter, InvoiceKey after, int limit) {
    StoreArguments.limit(limit);
    StringBuilder sql =
        new StringBuilder(
            "select schema_version, document from tenantkit_billing_invoices where 1 = 1");
    if (after != null) {
      sql.append(" and (tenant_id > :afterTenant or (tenant_id = :afterTenant and id > :afterId))");
    }
    filter.status().ifPresent(s -> sql.append(" and status = :status"));
    filter.periodStart().ifPresent(d -> sql.append(" and period_start = :periodStart"));
    sql.append(" order by tenant_id, id limit :limit");
    return storage.inAllTenantsTransaction(
        h -> {
          Query q = h.createQuery(sql.toString()).bind("limit", limit);
          if (after != null) {
            q.bind("afterTenant", after.tenant().value()).bind("afterId", after.id());
          }
          filter.status().ifPresent(s -> q.bind("status", s.wireName()));
          filter.periodStart().ifPresent(d -> q.bind("periodStart", d));
          return new ArrayList<>(q.map(DOCUMENT).list());
        });
  }

  boolean deleteDraft(TenantId tenant, String id) {
    return storage.inTenantTransaction(
            tenant,
            h ->
                h.createUpdate(
                        "delete from tenantkit_billing_invoices"
                            + " where tenant_id = :tenant and id = :id and status = :draft")
                    .bind("tenant", tenant.value())
                    .bind("id", id)
                    .bind("draft", InvoiceStatus.DRAFT.wireName())
                    .execute())
        == 1;
  }

  private static Update columns(Update u, Invoice i) {
    return u.bind("status", i.status().wireName())
        .bindByType("number", i.number() == null ? null : i.number().toString(), String.class)
        .bind("total", i.total().amount())
        .bind("amountDue", i.amountDue().amount())
        .bind("issueDate", i.issueDate())
        .bind("dueDate", i.dueDate())
        .bind("schema", StoredDocumentException.CURRENT)
        .bind("document", InvoiceDocuments.write(i));
  }
}
