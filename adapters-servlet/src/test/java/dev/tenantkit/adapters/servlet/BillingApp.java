package dev.tenantkit.adapters.servlet;

import dev.tenantkit.billing.Billing;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.memory.InMemoryBillingStore;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.plan.memory.InMemoryPlanVersionStore;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.testkit.FakeClock;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * A servlet host serving billing: {@link TenantFilter} on {@code /api/*}, {@link
 * BillingRoutes#tenantServlet()} on its paths, the operator API with {@link BillingRoutes} on
 * {@code /admin/*}; billing in memory on a fake clock, runs on the calling thread. Tenants {@code
 * acme} and {@code beta} on starter from 2026-03-01 (a 14-day trial), each with a full-access key,
 * and a read-only key of acme.
 */
final class BillingApp implements AutoCloseable {
  static final String OPERATOR_KEY = "operator-key-0123456789";
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId BETA = TenantId.of("beta");

  final FakeClock clock = FakeClock.at(Instant.parse("2026-03-01T00:00:00Z"));
  final Tenancy tenancy = Tenancy.builder().clock(clock).build();
  final InMemoryBillingStore store = new InMemoryBillingStore();
  final InMemoryPlanVersionStore plans = new InMemoryPlanVersionStore();
  final Metering metering;
  final Billing billing;
  final Harness http;
  final String acmeKey;
  final String betaKey;
  final String acmeReadOnlyKey;

  BillingApp() throws Exception {
    metering =
        Metering.builder()
            .store(InMemoryUsageStore.create())
            .catalog(
                MeterCatalog.builder()
                    .add(
                        MeterDefinition.builder("files")
                            .unit("files")
                            .aggregation(Aggregation.LATEST)
                            .build())
                    .add(Meters.STORAGE_BYTES)
                    .add(
                        MeterDefinition.builder("api_calls")
                            .unit("calls")
                            .aggregation(Aggregation.COUNT)
                            .build())
                    .build())
            .clock(clock)
            .build();
    PriceCatalog catalog = PriceCatalog.defaults();
    catalog.publish(plans);
    billing =
        Billing.builder()
            .store(store)
            .plans(plans)
            .catalog(catalog)
            .usage(metering.queries())
            .issuer(new Issuer("Tenantkit Ltd", List.of("1 Main Street"), "", "TK"))
            .clock(clock)
            .executor(Runnable::run)
            .build();
    acmeKey = tenant(ACME);
    betaKey = tenant(BETA);
    acmeReadOnlyKey =
        tenancy
            .apiKeys()
            .issue(ACME, new ApiKeyRequest("read", Set.of(BillingRoutes.READ_SCOPE), null))
            .secret();
    billing.subscribe(ACME, "starter");
    billing.subscribe(BETA, "starter");
    BillingRoutes routes = BillingRoutes.of(billing);
    TenantFilter filter =
        TenantFilter.builder(
                TenantAccess.of(
                    TenantResolvers.chain(TenantResolvers.apiKey(tenancy.apiKeys())),
                    tenancy.tenants()))
            .build();
    TenantAdminServlet admin =
        TenantAdminServlet.builder(tenancy, OPERATOR_KEY).routes(routes).build();
    http =
        Harness.start(
            context -> {
              context.addFilter(
                  new FilterHolder(filter), "/api/*", EnumSet.of(DispatcherType.REQUEST));
              ServletHolder holder = new ServletHolder(routes.tenantServlet());
              for (String path : BillingRoutes.TENANT_PATHS) {
                context.getServletHandler().addServletWithMapping(holder, path);
              }
              context.addServlet(new ServletHolder(admin), "/admin/*");
            });
  }

  private String tenant(TenantId id) {
    tenancy.tenants().create(NewTenant.of(id, "Tenant " + id.value(), "starter"));
    return tenancy.apiKeys().issue(id, ApiKeyRequest.fullAccess("test")).secret();
  }

  void at(String instant) {
    clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
  }

  /** Bills March through the operator API and finalizes the drafts after the grace period. */
  void billMarch() {
    at("2026-04-01T00:10:00Z");
    Harness.Response r = admin("POST", "/billing/runs?period=2026-03", null);
    if (r.status() != 202) {
      throw new IllegalStateException(r.body());
    }
    at("2026-04-04T00:00:00Z");
    billing.finalizeDue();
  }

  /** The id of {@code tenant}'s first invoice. */
  String invoiceOf(TenantId tenant) {
    return billing.invoices(tenant, null, 1).items().get(0).id();
  }

  /** A request with {@code key}. */
  Harness.Response as(String key, String method, String path, String json, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer " + key;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return http.send(method, path, json == null ? null : "application/json", json, all);
  }

  /** A request to the operator API with the operator key. */
  Harness.Response admin(String method, String path, String json) {
    return as(OPERATOR_KEY, method, "/admin" + path, json);
  }

  @Override
  public void close() {
    http.close();
    billing.close();
    metering.close();
  }
}
