package dev.tenantkit.billing.plan.spi;

import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.tenancy.InvalidInputException;
import java.util.Optional;

/**
 * Where published plan versions are kept. Plan versions are platform data, shared by every tenant,
 * so nothing here is tenant-scoped. Versions are never changed or removed once published: invoices
 * and subscriptions name them.
 *
 * <p>Implementations are thread-safe and {@link #publish} is atomic, also across processes sharing
 * one store (a JDBC store makes {@code (plan_id, version)} the primary key and keeps the
 * fingerprint per row, so two instances publishing the same prices create one version). Every
 * backend passes {@code PlanVersionStoreContract} from billing-core's test-jar.
 */
public interface PlanVersionStore {

  /**
   * The newest version of a plan.
   *
   * @return the version, or empty when none was published
   */
  Optional<PlanVersion> latest(String planId);

  /**
   * One version of a plan.
   *
   * @return the version, or empty when the plan has no such version
   */
  Optional<PlanVersion> get(String planId, int version);

  /**
   * Publishes a plan's prices. If the latest version has the same {@linkplain
   * PlanPrices#fingerprint() fingerprint}, it is returned and nothing is written; otherwise the
   * prices become the next version (1 for the first, then gap-free). Going back to the prices of an
   * older version is a change too: it makes a new version.
   *
   * @return the latest version after the call, holding these prices
   * @throws InvalidInputException if the plan id is invalid
   */
  PlanVersion publish(String planId, PlanPrices prices);
}
