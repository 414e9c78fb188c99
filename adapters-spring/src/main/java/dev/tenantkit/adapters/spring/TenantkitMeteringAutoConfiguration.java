package dev.tenantkit.adapters.spring;

import dev.tenantkit.adapters.spring.internal.BillingPlanOf;
import dev.tenantkit.adapters.spring.internal.H2Mode;
import dev.tenantkit.adapters.spring.internal.InvalidPropertyException;
import dev.tenantkit.adapters.spring.internal.PlanCatalogs;
import dev.tenantkit.adapters.spring.internal.RollupSchedule;
import dev.tenantkit.adapters.spring.internal.Schedules;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.metering.jdbc.JdbcUsageStore;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.QuotaListener;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.jdbc.JdbcQuotaStore;
import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantTags;
import dev.tenantkit.tenancy.spi.TenantPurger;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Configures usage metering and quotas next to the tenancy module: {@link Metering} (with its
 * {@link UsageMeter} and {@link UsageQueries}) and the {@link QuotaEnforcer} over a {@link
 * PlanCatalog}, both stored on the same {@link DataSource} as the tenants. Every bean backs off
 * when the application defines its own of the same type; {@code tenantkit.metering.enabled=false}
 * and {@code tenantkit.quotas.enabled=false} turn each part off.
 *
 * <p>The application's {@link MeterCatalog} bean, if it has exactly one, declares the meters;
 * without one, the built-in meters ({@link MeterCatalog#builtIns()}).
 *
 * <p>Without a single data source (an application that replaced the tenancy store with an in-memory
 * one, say) usage and quota state are kept in memory, with a warning. The application's {@link
 * InstantSource} bean is the time source, its {@link MeterRegistry} (if it has exactly one) gets
 * the metrics, with a tenant tag for as many tenants as {@code tenantkit.metrics.tenant-tags} says
 * (none by default; a {@link TenantTags} bean of the application replaces that), and every {@link
 * QuotaListener} bean hears of quota thresholds. A purged tenant's usage and quota state are purged
 * with it, before the tenant itself goes (see {@link TenantPurger}).
 *
 * <p>With billing on ({@link TenantkitBillingAutoConfiguration}), the {@link PlanCatalog} is the
 * {@link PriceCatalog} bean's limits, soft where a plan bills overage, and raw usage events are
 * kept at least 45 days (a shorter {@code tenantkit.metering.raw-retention} stops startup), since
 * billing reads the last period's raw events until its drafts are finalized.
 *
 * <p>{@link Metering} is closed when the context closes, so buffered usage events are written. The
 * rollup job, which also applies the retention of raw events, rollups and idempotency keys, runs
 * every {@code tenantkit.metering.rollup.interval} (default 5 minutes; {@code
 * tenantkit.metering.rollup.enabled=false} turns it off) on the application's {@link TaskScheduler}
 * bean, or on a one-thread scheduler {@code tenantkitTaskScheduler} that Tenantkit registers when
 * there is none, and stops with the context.
 */
@AutoConfiguration(
    after = TenantkitAutoConfiguration.class,
    afterName = "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration")
@ConditionalOnProperty(
    prefix = "tenantkit",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@ConditionalOnBean(Tenancy.class)
public class TenantkitMeteringAutoConfiguration {
  private static final Logger LOG =
      LoggerFactory.getLogger(TenantkitMeteringAutoConfiguration.class);

  /** A builder setting named in a message, such as maxLateness. */
  private static final Pattern CAMEL_WORD =
      Pattern.compile(
          "\\b(rawRetention|rollupRetention|idempotencyRetention|maxLateness|futureSkew)\\b");

  /** Created by Spring. */
  public TenantkitMeteringAutoConfiguration() {}

  /**
   * The tenants that get their own tag on the usage and quota metrics, shared by both so that they
   * tag the same tenants: {@code tenantkit.metrics.tenant-tags}.
   */
  @Bean
  @ConditionalOnMissingBean
  TenantTags tenantkitTenantTags(TenantkitProperties properties) {
    int n = properties.metrics().tenantTags();
    if (n == 0) {
      return TenantTags.none();
    }
    if (n < 0 || n > TenantTags.MAX_TENANTS) {
      throw new InvalidPropertyException(
          "tenantkit.metrics.tenant-tags",
          "must be 0 (no tenant tag) to " + TenantTags.MAX_TENANTS + ", was " + n);
    }
    return TenantTags.firstSeen(n);
  }

  /**
   * The least raw retention billing needs: 45 days, and more when the grace period is long (the
   * longest month, 31 days, plus the grace, plus a day of margin for time zones).
   */
  static Duration billingRawRetention(Duration grace) {
    Duration needed = Duration.ofDays(32).plus(grace.isNegative() ? Duration.ZERO : grace);
    Duration least = Duration.ofDays(45);
    return needed.compareTo(least) > 0 ? needed : least;
  }

  /** Usage metering: {@code tenantkit.metering.enabled} (default true). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(
      prefix = "tenantkit.metering",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  static class MeteringConfiguration {

    @Bean
    @ConditionalOnMissingBean
    UsageStore usageStore(ObjectProvider<DataSource> dataSource, TenantkitProperties properties) {
      DataSource ds = dataSource.getIfUnique();
      if (ds == null) {
        LOG.warn("no single DataSource: usage events are kept in memory and lost on restart");
        return InMemoryUsageStore.create();
      }
      H2Mode.check(ds);
      return JdbcUsageStore.builder(ds).migrate(properties.migrate()).build();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Metering metering(
        UsageStore usageStore,
        ObjectProvider<MeterCatalog> catalog,
        ObjectProvider<InstantSource> clock,
        ObjectProvider<MeterRegistry> meterRegistry,
        TenantTags tenantTags,
        TenantkitProperties properties,
        TenantkitBillingProperties billing) {
      Metering.Builder builder =
          Metering.builder()
              .store(usageStore)
              .catalog(catalog.getIfUnique(MeterCatalog::builtIns))
              .clock(clock.getIfUnique(InstantSource::system))
              .tenantTags(tenantTags);
      meterRegistry.ifUnique(builder::meterRegistry);
      TenantkitProperties.Metering p = properties.metering();
      ifSet(rawRetention(p.rawRetention(), billing), builder::rawRetention);
      ifSet(p.rollupRetention(), builder::rollupRetention);
      ifSet(p.idempotencyRetention(), builder::idempotencyRetention);
      ifSet(p.maxLateness(), builder::maxLateness);
      ifSet(p.futureSkew(), builder::futureSkew);
      try {
        return builder.build();
      } catch (InvalidInputException e) {
        // The builder names its own settings (rawRetention); the user wrote the properties.
        throw new InvalidPropertyException(
            property(e.field()),
            CAMEL_WORD.matcher(e.getMessage()).replaceAll(m -> property(m.group())));
      }
    }

    /**
     * The raw retention: with billing on, at least {@link #billingRawRetention} (its default then),
     * since weighted sums and transactions are read from raw events and a period older than the
     * retention is refused rather than billed with usage missing.
     */
    private static Duration rawRetention(Duration configured, TenantkitBillingProperties billing) {
      if (!billing.enabled()) {
        return configured;
      }
      Duration least = billingRawRetention(billing.grace());
      if (configured == null) {
        return least;
      }
      if (configured.compareTo(least) < 0) {
        throw new InvalidPropertyException(
            "tenantkit.metering.raw-retention",
            "is "
                + configured
                + ", but billing (tenantkit.billing.enabled=true) reads raw usage events of the"
                + " last billing period until its drafts are finalized: keep them at least "
                + least.toDays()
                + " days ("
                + least.toDays()
                + "d), or leave it unset");
      }
      return configured;
    }

    private static void ifSet(Duration value, Consumer<Duration> setter) {
      if (value != null) {
        setter.accept(value);
      }
    }

    private static String property(String builderSetting) {
      return "tenantkit.metering."
          + builderSetting.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** Purges a tenant's usage (events, keys, rollups) when the tenant is purged. */
    @Bean
    @ConditionalOnMissingBean(name = "tenantkitUsagePurge")
    TenantPurger tenantkitUsagePurge(ObjectProvider<Metering> metering) {
      return tenant -> metering.ifAvailable(m -> m.purge(tenant));
    }

    // Closed through Metering, which owns it.
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    UsageMeter usageMeter(Metering metering) {
      return metering.usageMeter();
    }

    @Bean
    @ConditionalOnMissingBean
    UsageQueries usageQueries(Metering metering) {
      return metering.queries();
    }

    /**
     * The scheduled rollup job, on unless {@code tenantkit.metering.rollup.enabled=false}: without
     * it raw events would be kept forever and queries would never read rollups.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(
        prefix = "tenantkit.metering.rollup",
        name = "enabled",
        havingValue = "true",
        matchIfMissing = true)
    static class RollupConfiguration {

      @Bean
      @ConditionalOnMissingBean(TaskScheduler.class)
      ThreadPoolTaskScheduler tenantkitTaskScheduler() {
        return Schedules.oneThread();
      }

      @Bean
      @ConditionalOnMissingBean
      RollupSchedule tenantkitRollupSchedule(
          Metering metering,
          ObjectProvider<TaskScheduler> schedulers,
          TenantkitProperties properties) {
        Duration interval =
            Schedules.interval(
                properties.metering().rollup().interval(),
                "tenantkit.metering.rollup.interval",
                "5m");
        TaskScheduler scheduler =
            Schedules.scheduler(
                schedulers,
                "the rollup job",
                "tenantkit.metering.rollup.enabled",
                "run the job yourself");
        return new RollupSchedule(metering.rollups(), scheduler, interval);
      }
    }
  }

  /** Quotas and rate limits: {@code tenantkit.quotas.enabled} (default true). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(
      prefix = "tenantkit.quotas",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  static class QuotaConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PlanCatalog planCatalog(TenantkitProperties properties, ObjectProvider<PriceCatalog> prices) {
      // With billing on, the limits of the price catalog: soft where a plan bills overage, so the
      // quota decision and the invoice agree on what is denied and what is billed.
      PriceCatalog priced = prices.getIfUnique();
      return priced != null ? priced.limits() : PlanCatalogs.of(properties.quotas());
    }

    @Bean
    @ConditionalOnMissingBean
    QuotaStore quotaStore(ObjectProvider<DataSource> dataSource, TenantkitProperties properties) {
      DataSource ds = dataSource.getIfUnique();
      if (ds == null) {
        LOG.warn("no single DataSource: quota usage is kept in memory and lost on restart");
        return InMemoryQuotaStore.create();
      }
      H2Mode.check(ds);
      return JdbcQuotaStore.builder(ds).migrate(properties.migrate()).build();
    }

    @Bean
    @ConditionalOnMissingBean
    QuotaEnforcer quotaEnforcer(
        PlanCatalog planCatalog,
        QuotaStore quotaStore,
        Tenancy tenancy,
        TenantkitProperties properties,
        ObjectProvider<InstantSource> clock,
        ObjectProvider<QuotaListener> listeners,
        ObjectProvider<MeterRegistry> meterRegistry,
        TenantTags tenantTags,
        ObjectProvider<BillingPlanOf> billingPlanOf) {
      // With billing on, the plan of the tenant's subscription in force
      // (TenantkitBillingAutoConfiguration).
      BillingPlanOf billed = billingPlanOf.getIfUnique();
      Quotas.Builder builder =
          Quotas.builder()
              .catalog(planCatalog)
              .store(quotaStore)
              .planOf(tenancy.tenants())
              .clock(clock.getIfUnique(InstantSource::system))
              .failureMode(properties.quotas().failureMode())
              .tenantTags(tenantTags);
      if (billed != null) {
        builder.planOf(billed);
      }
      listeners.orderedStream().forEach(builder::listener);
      meterRegistry.ifUnique(builder::meterRegistry);
      return builder.build();
    }

    /**
     * Purges a tenant's quota state when the tenant is purged. Looked up lazily: the enforcer needs
     * the tenancy module this purger is part of.
     */
    @Bean
    @ConditionalOnMissingBean(name = "tenantkitQuotaPurge")
    TenantPurger tenantkitQuotaPurge(ObjectProvider<QuotaEnforcer> quotas) {
      return tenant -> quotas.ifAvailable(q -> q.admin().purge(tenant));
    }
  }
}
