package dev.tenantkit.adapters.spring;

import dev.tenantkit.adapters.servlet.BillingRoutes;
import dev.tenantkit.adapters.spring.internal.BillingFinalizeSchedule;
import dev.tenantkit.adapters.spring.internal.BillingPlanOf;
import dev.tenantkit.adapters.spring.internal.BillingSettings;
import dev.tenantkit.adapters.spring.internal.H2Mode;
import dev.tenantkit.adapters.spring.internal.InvalidPropertyException;
import dev.tenantkit.adapters.spring.internal.PlanCatalogs;
import dev.tenantkit.adapters.spring.internal.Schedules;
import dev.tenantkit.billing.Billing;
import dev.tenantkit.billing.invoice.BillTo;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.jdbc.JdbcBillingStore;
import dev.tenantkit.billing.jdbc.JdbcPlanVersionStore;
import dev.tenantkit.billing.memory.InMemoryBillingStore;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.plan.memory.InMemoryPlanVersionStore;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantEvent;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantkitException;
import dev.tenantkit.tenancy.spi.TenantEventListener;
import dev.tenantkit.tenancy.spi.TenantPurger;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.web.servlet.server.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Configures billing next to metering, when {@code tenantkit.billing.enabled=true} (off by default)
 * and metering's {@link UsageQueries} is there: the {@link PriceCatalog} read from the plan catalog
 * the quotas use ({@code tenantkit.quotas.catalog-location}, else {@link PriceCatalog#defaults()})
 * and published to the plan version store at startup, and the {@link Billing} facade over JDBC
 * stores on the application's {@link DataSource} (migrated with the rest of Tenantkit) or, when
 * metering keeps usage in memory, in-memory stores. Every bean backs off when the application
 * defines its own.
 *
 * <p>With billing on, {@link TenantkitMeteringAutoConfiguration} gives the quota enforcer the price
 * catalog's limits (soft where a plan bills overage, so the quota decision and the invoice agree)
 * and keeps raw usage events at least 45 days. A purged tenant's billing data is purged with it; a
 * tenant created with a priced plan is subscribed to it ({@code
 * tenantkit.billing.subscribe-on-create}). In a servlet web application the tenant's routes of
 * {@link BillingRoutes} are mapped at {@link BillingRoutes#TENANT_PATHS}, behind the tenant filter,
 * and its operator routes join the operator API. Drafts whose grace period is over are finalized
 * every {@code tenantkit.billing.finalize.interval} (default 1 hour); billing runs themselves are
 * started over HTTP ({@code POST /admin/billing/runs?period=YYYY-MM}). {@link Billing} is closed
 * when the context closes, which stops its run thread.
 */
@AutoConfiguration(
    after = {TenantkitAutoConfiguration.class, TenantkitMeteringAutoConfiguration.class},
    afterName = "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration")
@ConditionalOnProperty(
    prefix = "tenantkit",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@ConditionalOnProperty(prefix = "tenantkit.billing", name = "enabled", havingValue = "true")
@ConditionalOnClass(Billing.class)
@ConditionalOnBean({Tenancy.class, UsageQueries.class})
public class TenantkitBillingAutoConfiguration {
  private static final Logger LOG =
      LoggerFactory.getLogger(TenantkitBillingAutoConfiguration.class);
  private static final String PREFIX = "tenantkit.billing.";

  /**
   * The name of an {@link Executor} bean billing runs are started on, if the application has one;
   * otherwise {@link Billing} runs them on a thread of its own.
   */
  public static final String RUN_EXECUTOR = "tenantkitBillingRunExecutor";

  /** Created by Spring. */
  public TenantkitBillingAutoConfiguration() {}

  /**
   * The prices of the plan catalog file the quotas read, or the default plans' prices.
   *
   * @throws InvalidPropertyException if the catalog cannot be read, has invalid prices, or prices a
   *     plan in another currency than {@code tenantkit.billing.currency}
   */
  @Bean
  @ConditionalOnMissingBean
  public PriceCatalog priceCatalog(
      TenantkitProperties properties, TenantkitBillingProperties billing) {
    PriceCatalog catalog = PlanCatalogs.prices(properties.quotas());
    BillingSettings.requireCurrency(catalog, billing.currency());
    // The file readers log the catalog's warnings themselves; the defaults have none.
    return catalog;
  }

  /**
   * Where subscriptions, invoices, credit notes and runs are kept: the application's single data
   * source, unless metering keeps usage in memory, then memory too.
   */
  @Bean
  @ConditionalOnMissingBean
  public BillingStore billingStore(
      ObjectProvider<DataSource> dataSource,
      ObjectProvider<UsageStore> usageStore,
      ObjectProvider<InstantSource> clock,
      TenantkitProperties properties) {
    DataSource ds = inMemory(usageStore) ? null : dataSource.getIfUnique();
    if (ds == null) {
      LOG.warn("billing is kept in memory, as usage is: invoices are lost on restart");
      return new InMemoryBillingStore();
    }
    H2Mode.check(ds);
    return JdbcBillingStore.builder(ds)
        .migrate(properties.migrate())
        .clock(clock.getIfUnique(InstantSource::system))
        .build();
  }

  /** Where plan versions are published: beside the billing store. */
  @Bean
  @ConditionalOnMissingBean
  public PlanVersionStore planVersionStore(
      ObjectProvider<DataSource> dataSource,
      ObjectProvider<UsageStore> usageStore,
      ObjectProvider<InstantSource> clock,
      TenantkitProperties properties) {
    DataSource ds = inMemory(usageStore) ? null : dataSource.getIfUnique();
    if (ds == null) {
      return new InMemoryPlanVersionStore();
    }
    H2Mode.check(ds);
    return JdbcPlanVersionStore.builder(ds)
        .migrate(properties.migrate())
        .clock(clock.getIfUnique(InstantSource::system))
        .build();
  }

  private static boolean inMemory(ObjectProvider<UsageStore> usageStore) {
    return usageStore.getIfUnique() instanceof InMemoryUsageStore;
  }

  /**
   * The billing facade, with the catalog's plans published (a changed price makes a new version)
   * and the issuer, tax rate and grace period of {@code tenantkit.billing.*}. The tenant's name is
   * the billed name on its invoices. Runs are started on the {@link Executor} bean named {@value
   * #RUN_EXECUTOR}, if there is one.
   *
   * @throws InvalidPropertyException if a property is not valid
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Billing billing(
      BillingStore store,
      PlanVersionStore plans,
      PriceCatalog catalog,
      UsageQueries usage,
      ObjectProvider<Metering> metering,
      ObjectProvider<Tenancy> tenancy,
      ObjectProvider<InstantSource> clock,
      ObjectProvider<MeterRegistry> meterRegistry,
      @Qualifier(RUN_EXECUTOR) ObjectProvider<Executor> runExecutor,
      TenantkitBillingProperties properties) {
    Issuer issuer = BillingSettings.issuer(properties.issuer());
    TaxRate taxRate = BillingSettings.taxRate(properties.taxRate());
    Duration grace = properties.grace();
    if (grace == null || grace.isNegative()) {
      throw new InvalidPropertyException(
          PREFIX + "grace", "must be zero or more, such as 3d, was " + grace);
    }
    Metering m = metering.getIfUnique();
    if (m != null) {
      BillingSettings.requireMeters(catalog, m.catalog());
    }
    catalog.publish(plans);
    Billing.Builder builder =
        Billing.builder()
            .store(store)
            .plans(plans)
            .catalog(catalog)
            .usage(usage)
            .issuer(issuer)
            .clock(clock.getIfUnique(InstantSource::system))
            .taxRate(taxRate)
            .grace(grace)
            .billTo(tenant -> billTo(tenancy, tenant));
    tenancy.ifUnique(t -> builder.tenants(t.tenants()));
    meterRegistry.ifUnique(builder::meterRegistry);
    runExecutor.ifAvailable(builder::executor);
    return builder.build();
  }

  private static BillTo billTo(ObjectProvider<Tenancy> tenancy, TenantId tenant) {
    String name = tenant.value();
    Tenancy t = tenancy.getIfUnique();
    if (t != null) {
      try {
        name = t.tenants().get(tenant).name();
      } catch (TenantkitException e) {
        // A purged tenant's invoice is still rendered, under its id.
        LOG.debug("no tenant {} for the billed name: {}", tenant, e.getMessage());
      }
    }
    return new BillTo(name, List.of(), "", "");
  }

  /**
   * The plan the quota enforcer enforces for a tenant: its subscription's plan in force now, or its
   * own plan without a subscription; cached {@link BillingPlanOf#TTL} (docs/billing.md, "Quotas
   * follow the subscription").
   */
  @Bean
  @ConditionalOnMissingBean
  public BillingPlanOf tenantkitBillingPlanOf(
      ObjectProvider<Billing> billing, Tenancy tenancy, ObjectProvider<InstantSource> clock) {
    // Billing is looked up on first use: the quota enforcer that calls this is built before it.
    return new BillingPlanOf(
        billing::getIfUnique, tenancy.tenants(), clock.getIfUnique(InstantSource::system));
  }

  /**
   * Keeps the subscription on the tenant's plan when an operator changes the tenant's plan ({@link
   * dev.tenantkit.tenancy.TenantService#changePlan}, the tenant admin API): on an {@code UPDATED}
   * event whose plan is neither the subscription's plan in force nor its pending one, the
   * subscription changes to it at once ({@code now}: the operator said so). Idempotent, and no
   * loop: {@link Billing#changePlan} sets the tenant's plan only when it differs. Every update also
   * drops the tenant's cached plan of the quota enforcer.
   */
  @Bean
  @ConditionalOnMissingBean(name = "tenantkitBillingPlanSync")
  public TenantEventListener tenantkitBillingPlanSync(
      ObjectProvider<Billing> billing,
      ObjectProvider<PriceCatalog> catalog,
      ObjectProvider<BillingPlanOf> planOf) {
    return event -> {
      if (event.type() != TenantEvent.Type.UPDATED) {
        return;
      }
      TenantId id = event.tenant().id();
      planOf.ifAvailable(p -> p.invalidate(id));
      String plan = event.tenant().planId();
      Billing b = billing.getIfUnique();
      PriceCatalog prices = catalog.getIfUnique();
      if (b == null || prices == null || prices.prices(plan).isEmpty()) {
        return;
      }
      b.subscription(id)
          .filter(s -> !s.planId().equals(plan))
          .filter(s -> s.pending() == null || !s.pending().planId().equals(plan))
          .ifPresent(
              s -> {
                try {
                  b.changePlan(id, plan, true);
                } catch (TenantkitException e) {
                  LOG.warn(
                      "tenant {}'s subscription was not changed to {}: {}",
                      id,
                      plan,
                      e.getMessage());
                }
              });
      planOf.ifAvailable(p -> p.invalidate(id));
    };
  }

  /**
   * Cancels a deleted tenant's subscription at once ({@link Billing#lifecycleListener()}), so no
   * run bills it beyond its deletion.
   */
  @Bean
  @ConditionalOnMissingBean(name = "tenantkitBillingCancelOnDelete")
  public TenantEventListener tenantkitBillingCancelOnDelete(ObjectProvider<Billing> billing) {
    // Looked up on first use: the tenancy module this listener is part of is built first.
    return event -> billing.ifAvailable(b -> b.lifecycleListener().onEvent(event));
  }

  /** Purges a tenant's billing data (subscription, invoices, credit notes, balances). */
  @Bean
  @ConditionalOnMissingBean(name = "tenantkitBillingPurge")
  public TenantPurger tenantkitBillingPurge(ObjectProvider<Billing> billing) {
    // Looked up lazily: the tenancy module this purger is part of is built first.
    return tenant -> billing.ifAvailable(b -> b.purger().purge(tenant));
  }

  /**
   * Subscribes a tenant created with a priced plan to that plan, so it has something to bill:
   * {@code tenantkit.billing.subscribe-on-create} (default true). A tenant on a plan without prices
   * is not billed, and one that already has a subscription keeps it.
   */
  @Bean
  @ConditionalOnMissingBean(name = "tenantkitBillingSubscriber")
  @ConditionalOnProperty(
      prefix = "tenantkit.billing",
      name = "subscribe-on-create",
      havingValue = "true",
      matchIfMissing = true)
  public TenantEventListener tenantkitBillingSubscriber(
      ObjectProvider<Billing> billing, ObjectProvider<PriceCatalog> catalog) {
    return event -> {
      if (event.type() != TenantEvent.Type.CREATED) {
        return;
      }
      String plan = event.tenant().planId();
      PriceCatalog prices = catalog.getIfUnique();
      Billing b = billing.getIfUnique();
      if (b == null || prices == null || prices.prices(plan).isEmpty()) {
        return;
      }
      try {
        b.subscribe(event.tenant().id(), plan);
      } catch (ConflictException e) {
        LOG.debug("tenant {} already has a subscription", event.tenant().id());
      }
    };
  }

  /**
   * Billing over HTTP: the operator routes, added to the operator API like every {@code
   * AdminRoutes} bean, and the tenant routes' servlet at {@link BillingRoutes#TENANT_PATHS}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass({BillingRoutes.class, ServletRegistrationBean.class})
  static class WebConfiguration {

    /**
     * The routes, with the scopes of {@code tenantkit.billing.read-scope} and {@code write-scope}.
     *
     * @throws InvalidPropertyException if the tenant filter's URL patterns do not cover the tenant
     *     routes, or a scope is blank
     */
    @Bean
    @ConditionalOnMissingBean
    BillingRoutes billingRoutes(
        Billing billing, TenantkitProperties properties, TenantkitBillingProperties billingProps) {
      TenantkitProperties.Filter filter = properties.filter();
      if (!filter.enabled()) {
        throw new InvalidPropertyException(
            "tenantkit.filter.enabled",
            "is false, but the billing routes need the tenant filter to bind the caller's tenant;"
                + " turn it on or set tenantkit.billing.enabled=false");
      }
      for (String path : BillingRoutes.TENANT_PATHS) {
        String bare = path.endsWith("/*") ? path.substring(0, path.length() - 2) : path;
        if (filter.urlPatterns().stream().noneMatch(p -> covers(p, bare))) {
          throw new InvalidPropertyException(
              "tenantkit.filter.url-patterns",
              "are "
                  + filter.urlPatterns()
                  + ", which do not cover the billing route "
                  + path
                  + "; the tenant filter must bind the caller's tenant there (add /api/*)");
        }
      }
      return BillingRoutes.of(
          billing,
          scope("read-scope", billingProps.readScope()),
          scope("write-scope", billingProps.writeScope()));
    }

    private static String scope(String name, String value) {
      if (value == null || value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
        throw new InvalidPropertyException(
            PREFIX + name, "must be one scope without spaces, such as billing:read");
      }
      return value;
    }

    private static boolean covers(String pattern, String path) {
      if (pattern.equals("/*") || pattern.equals("/")) {
        return true;
      }
      if (pattern.endsWith("/*")) {
        String prefix = pattern.substring(0, pattern.length() - 2);
        return path.equals(prefix) || path.startsWith(prefix + "/");
      }
      return pattern.equals(path);
    }

    /**
     * Builds the billing routes (and so billing and its stores) while Spring Boot prepares the
     * embedded server, before it starts its servlet context, as {@code tenantkitBeforeWebServer}
     * does for the other registrations: a bad property then stops startup before any server starts.
     */
    @Bean
    @ConditionalOnMissingBean(name = "tenantkitBillingBeforeWebServer")
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> tenantkitBillingBeforeWebServer(
        ObjectProvider<BillingRoutes> routes) {
      return new BeforeWebServer(routes);
    }

    /** Creates the routes when the web server factory is customized. */
    private static final class BeforeWebServer
        implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory>, Ordered {
      private final ObjectProvider<BillingRoutes> routes;

      BeforeWebServer(ObjectProvider<BillingRoutes> routes) {
        this.routes = routes;
      }

      @Override
      public void customize(ConfigurableServletWebServerFactory factory) {
        routes.ifAvailable(r -> {});
      }

      @Override
      public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
      }
    }

    /** The tenant's billing routes, behind the tenant filter. */
    @Bean
    @ConditionalOnMissingBean(name = "tenantkitBillingServlet")
    ServletRegistrationBean<HttpServlet> tenantkitBillingServlet(BillingRoutes routes) {
      ServletRegistrationBean<HttpServlet> registration =
          new ServletRegistrationBean<>(
              routes.tenantServlet(), BillingRoutes.TENANT_PATHS.toArray(String[]::new));
      registration.setName("tenantkitBillingServlet");
      return registration;
    }
  }

  /**
   * The scheduled finalization of due drafts, on unless {@code
   * tenantkit.billing.finalize.enabled=false}: without it run drafts would stay drafts.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(
      prefix = "tenantkit.billing.finalize",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  static class FinalizeConfiguration {

    @Bean
    @ConditionalOnMissingBean(TaskScheduler.class)
    ThreadPoolTaskScheduler tenantkitTaskScheduler() {
      return Schedules.oneThread();
    }

    /**
     * The schedule.
     *
     * @throws InvalidPropertyException if the interval is not positive or there is no single
     *     scheduler
     */
    @Bean
    @ConditionalOnMissingBean
    BillingFinalizeSchedule tenantkitBillingFinalizeSchedule(
        Billing billing,
        ObjectProvider<TaskScheduler> schedulers,
        TenantkitBillingProperties properties) {
      Duration interval =
          Schedules.interval(
              properties.finalizeDue().interval(), PREFIX + "finalize.interval", "1h");
      TaskScheduler scheduler =
          Schedules.scheduler(
              schedulers,
              "the finalization",
              PREFIX + "finalize.enabled",
              "call Billing.finalizeDue() yourself");
      return new BillingFinalizeSchedule(billing, scheduler, interval);
    }
  }
}
