package dev.tenantkit.billing.jdbc;

import dev.tenantkit.billing.spi.Versioned;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;

/** The subscriptions table: one row per tenant, its document and version. */
final class SubscriptionRows {
  private final JdbcStorage storage;

  SubscriptionRows(JdbcStorage storage) {
    this.storage = storage;
  }

  Versioned<Subscription> insert(Subscription s) {
    try {
      storage.useTenantTransaction(
          s.tenant(),
          h ->
              h.createUpdate(
                      "insert into tenantkit_billing_subscriptions (tenant_id, plan_id,"
                          + " plan_version, ends_at, document, version) values (:tenant, :plan,"
                          + " :planVersion, :endsAt, :document, 1)")
                  .bind("tenant", s.tenant().value())
                  .bind("plan", s.planId())
                  .bind("planVersion", s.planVersion())
                  .bind("endsAt", s.endsAt())
                  .bind("document", Documents.write(s))
                  .execute());
    } catch (JdbiException e) {
      if (JdbcStorage.isUniqueViolation(e)) {
        throw new ConflictException("the tenant already has a subscription");
      }
      throw e;
    }
    return new Versioned<>(s, 1);
  }

  Optional<Versioned<Subscription>> find(TenantId tenant) {
    return storage.inTenantTransaction(
        tenant,
        h ->
            h.createQuery(
                    "select document, version from tenantkit_billing_subscriptions"
                        + " where tenant_id = :tenant")
                .bind("tenant", tenant.value())
                .map(
                    (rs, ctx) ->
                        new Versioned<>(
                            Documents.read(rs.getString(1), Subscription.class), rs.getLong(2)))
                .findOne());
  }

  Optional<Versioned<Subscription>> update(Subscription s, long expectedVersion) {
    int changed =
        storage.inTenantTransaction(
            s.tenant(),
            h ->
                h.createUpdate(
                        "update tenantkit_billing_subscriptions set plan_id = :plan, plan_version"
                            + " = :planVersion, ends_at = :endsAt, document = :document, version"
                            + " = version + 1 where tenant_id = :tenant and version = :expected")
                    .bind("tenant", s.tenant().value())
                    .bind("plan", s.planId())
                    .bind("planVersion", s.planVersion())
                    .bind("endsAt", s.endsAt())
                    .bind("document", Documents.write(s))
                    .bind("expected", expectedVersion)
                    .execute());
    return changed == 1 ? Optional.of(new Versioned<>(s, expectedVersion + 1)) : Optional.empty();
  }

  List<Subscription> active(Instant at, TenantId after, int limit) {
    return storage.inAllTenantsTransaction(
        h -> {
          Query q =
              h.createQuery(
                      "select document from tenantkit_billing_subscriptions"
                          + " where (ends_at is null or ends_at > :at)"
                          + (after == null ? "" : " and tenant_id > :after")
                          + " order by tenant_id limit :limit")
                  .bind("at", at)
                  .bind("limit", limit);
          if (after != null) {
            q.bind("after", after.value());
          }
          return q.map((rs, ctx) -> Documents.read(rs.getString(1), Subscription.class)).list();
        });
  }
}
