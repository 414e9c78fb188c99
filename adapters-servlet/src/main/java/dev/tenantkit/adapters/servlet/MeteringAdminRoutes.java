package dev.tenantkit.adapters.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RollupReport;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.UsageAcrossTenants;
import dev.tenantkit.metering.analytics.ReportPeriods;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.QuotaAdmin;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.QuotaStatus;
import dev.tenantkit.metering.quota.UnknownPlanException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantService;
import dev.tenantkit.tenancy.TenantStateException;
import dev.tenantkit.tenancy.TenantStatus;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator routes of usage metering and quotas, added to the operator API with {@link
 * TenantAdminServlet.Builder#routes(AdminRoutes...)}:
 *
 * <pre>
 * GET  /usage?period=                     usage of all tenants: totals and top consumers per meter,
 *                                         tenants at or over a hard limit
 * POST /usage/rollup                      runs the rollup job now; its report
 * GET  /tenants/{id}/quotas               where the tenant stands on every limit of its plan
 * PUT  /tenants/{id}/quotas/{limit}       {"limit": N} sets the tenant's own amount, {"limit": null}
 *                                         removes it; applies to the next request
 * </pre>
 *
 * The usage routes need {@link Builder#metering(Metering)}, the quota routes {@link
 * Builder#quotas(QuotaEnforcer)}; {@code GET /usage} lists tenants over quota only when both are
 * given. The JSON forms are described in {@code docs/servlet.md}. Immutable and thread-safe.
 */
public final class MeteringAdminRoutes implements AdminRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(MeteringAdminRoutes.class);
  private static final int TOP = 10;
  private static final int PAGE = 500;

  private final TenantService tenants;
  private final Metering metering;

  /** The enforcer's administration; the routes make no decisions. */
  private final QuotaAdmin quotas;

  private final List<MeterDefinition> meters;
  private final InstantSource clock;
  private final ZoneId zone;

  private MeteringAdminRoutes(Builder b) {
    this.tenants = b.tenants;
    this.metering = b.metering;
    this.quotas = b.quotas == null ? null : b.quotas.admin();
    this.meters =
        b.meters.all().stream().sorted(Comparator.comparing(MeterDefinition::name)).toList();
    this.clock = b.clock;
    this.zone = b.zone != null ? b.zone : quotas != null ? quotas.catalog().zone() : ZoneOffset.UTC;
  }

  /**
   * A builder of routes over {@code tenants}; add {@link Builder#metering} and/or {@link
   * Builder#quotas}.
   *
   * @throws NullPointerException if {@code tenants} is null
   */
  public static Builder builder(TenantService tenants) {
    return new Builder(Objects.requireNonNull(tenants, "tenants"));
  }

  @Override
  public List<AdminRoute> routes() {
    List<AdminRoute> routes = new ArrayList<>();
    if (metering != null) {
      routes.add(AdminRoute.get("/usage", this::usage));
      routes.add(AdminRoute.post("/usage/rollup", r -> AdminResponse.ok(rollup())));
    }
    if (quotas != null) {
      routes.add(
          AdminRoute.get(
              "/tenants/{id}/quotas", r -> AdminResponse.ok(quotaView(r.tenantId("id")))));
      routes.add(AdminRoute.put("/tenants/{id}/quotas/{limit}", this::setOverride));
    }
    return List.copyOf(routes);
  }

  private AdminResponse usage(AdminRequest request) {
    String[] periods = request.servletRequest().getParameterValues("period");
    if (periods != null && periods.length > 1) {
      throw new InvalidInputException("period", "period must be given once");
    }
    String period = request.parameter("period").orElse(null);
    Instant now = clock.instant();
    TimeRange range;
    if (period == null) {
      ZonedDateTime monthStart =
          now.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone);
      range = new TimeRange(monthStart.toInstant(), monthStart.plusMonths(1).toInstant());
    } else {
      // As on the tenant routes (UsageAnalytics.period): exactly 7d, 30d, 90d or 1y.
      range = ReportPeriods.parse(period, clock);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("period", period == null ? "month" : period);
    body.put("from", range.from().toString());
    body.put("to", range.to().toString());
    List<Object> meterViews = new ArrayList<>();
    // One pass over the tenants for every meter, not one per meter.
    Map<String, UsageAcrossTenants> byMeter =
        meters.isEmpty()
            ? Map.of()
            : metering
                .queries()
                .acrossTenants(meters.stream().map(MeterDefinition::name).toList(), range, TOP);
    for (MeterDefinition meter : meters) {
      UsageAcrossTenants consumers = byMeter.get(meter.name());
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("meter", meter.name());
      view.put("unit", meter.unit());
      view.put("aggregation", meter.aggregation().name().toLowerCase(Locale.ROOT));
      view.put("total", consumers.total());
      view.put("tenantsWithUsage", consumers.tenants());
      view.put(
          "topConsumers",
          consumers.top().stream()
              .map(u -> Map.of("tenantId", u.tenantId().value(), "value", u.value()))
              .toList());
      meterViews.add(view);
    }
    body.put("meters", meterViews);
    if (quotas != null) {
      body.put("overQuota", overQuota());
    }
    return AdminResponse.ok(body);
  }

  private List<Object> overQuota() {
    List<Object> over = new ArrayList<>();
    String cursor = null;
    do {
      Page<Tenant> page = tenants.list(null, cursor, PAGE);
      for (Tenant tenant : page.items()) {
        List<QuotaStatus> statuses;
        try {
          statuses = quotas.status(tenant.id());
        } catch (UnknownPlanException e) {
          LOG.warn("tenant {} left out of the over-quota list: {}", tenant.id(), e.getMessage());
          continue;
        }
        List<Object> full = new ArrayList<>();
        for (QuotaStatus s : statuses) {
          if (s.hard() && !s.unlimited() && s.percentUsed() >= 100) {
            full.add(limitView(s, null));
          }
        }
        if (!full.isEmpty()) {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("tenantId", tenant.id().value());
          entry.put("plan", tenant.planId());
          entry.put("limits", full);
          over.add(entry);
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return over;
  }

  private Map<String, Object> rollup() {
    RollupReport report = metering.rollups().run();
    LOG.info("operator ran the usage rollup: {}", report);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ran", report.ran());
    body.put("startedAt", report.startedAt().toString());
    body.put("durationMs", report.duration().toMillis());
    body.put("tenants", report.tenants());
    body.put("hoursRolledUp", report.hoursRolledUp());
    body.put("daysRolledUp", report.daysRolledUp());
    body.put("rawEventsDeleted", report.rawEventsDeleted());
    body.put("rollupsDeleted", report.rollupsDeleted());
    body.put("keysPruned", report.keysPruned());
    return body;
  }

  private AdminResponse setOverride(AdminRequest request) throws IOException {
    TenantId id = request.tenantId("id");
    if (tenants.get(id).status() == TenantStatus.DELETED) {
      // Like PATCH /tenants/{id}: a deleted tenant is not changed any more.
      throw new TenantStateException("tenant '" + id + "' is deleted");
    }
    String limit = request.pathVariable("limit");
    if (!quotas.catalog().limitNames().contains(limit)) {
      throw new NotFoundException(
          "the plan catalog has no limit '"
              + limit
              + "'; limits are "
              + String.join(", ", quotas.catalog().limitNames()));
    }
    Long amount = amount(request.body(OverrideBody.class).limit());
    quotas.setOverride(id, limit, amount);
    LOG.info(
        "operator {} the {} override of tenant {}{}",
        amount == null ? "removed" : "set",
        limit,
        id,
        amount == null ? "" : " to " + (amount == LimitSpec.UNLIMITED ? "unlimited" : amount));
    return AdminResponse.ok(quotaView(id));
  }

  private static Long amount(JsonNode limit) {
    if (limit == null) {
      throw new InvalidInputException("limit", "is required; null removes the override");
    }
    if (limit.isNull()) {
      return null;
    }
    if (limit.isTextual() && limit.textValue().equals("unlimited")) {
      return LimitSpec.UNLIMITED;
    }
    if (!limit.isIntegralNumber() || !limit.canConvertToLong() || limit.longValue() < 0) {
      throw new InvalidInputException(
          "limit", "must be a whole number from 0, \"unlimited\" or null");
    }
    return limit.longValue();
  }

  private Map<String, Object> quotaView(TenantId id) {
    Tenant tenant = tenants.get(id);
    Plan plan = quotas.catalog().plan(tenant.planId()).orElse(null);
    List<Object> limits = new ArrayList<>();
    for (QuotaStatus s : quotas.status(id)) {
      limits.add(limitView(s, plan));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenantId", id.value());
    body.put("plan", tenant.planId());
    body.put("limits", limits);
    return body;
  }

  private static Map<String, Object> limitView(QuotaStatus s, Plan plan) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", s.limitName());
    v.put("kind", s.kind().name().toLowerCase(Locale.ROOT));
    v.put("used", s.used());
    v.put("limit", s.unlimited() ? null : s.limit());
    v.put("remaining", s.unlimited() ? null : s.remaining());
    v.put("unlimited", s.unlimited());
    v.put("percentUsed", s.percentUsed());
    v.put("resetAt", s.resetAt() == null ? null : s.resetAt().toString());
    v.put("hard", s.hard());
    v.put("overridden", s.overridden());
    if (plan != null) {
      LimitSpec spec = plan.limits().get(s.limitName());
      v.put("planLimit", spec == null || spec.isUnlimited() ? null : spec.limit());
    }
    v.put("thresholdsCrossed", s.thresholdsCrossed());
    return v;
  }

  /** The body of {@code PUT /tenants/{id}/quotas/{limit}}: {@code {"limit": N | null}}. */
  record OverrideBody(JsonNode limit) {}

  /** Builder of {@link MeteringAdminRoutes}. Not thread-safe. */
  public static final class Builder {
    private final TenantService tenants;
    private Metering metering;
    private QuotaEnforcer quotas;
    private MeterCatalog meters = MeterCatalog.builtIns();
    private InstantSource clock = InstantSource.system();
    private ZoneId zone;

    private Builder(TenantService tenants) {
      this.tenants = tenants;
    }

    /** Serves {@code GET /usage} and {@code POST /usage/rollup} over {@code metering}. */
    public Builder metering(Metering metering) {
      this.metering = Objects.requireNonNull(metering, "metering");
      return this;
    }

    /** Serves the quota routes over {@code quotas}, and lists tenants over quota in the usage. */
    public Builder quotas(QuotaEnforcer quotas) {
      this.quotas = Objects.requireNonNull(quotas, "quotas");
      return this;
    }

    /**
     * The meters {@code GET /usage} reports, which should be those of the {@link Metering}; default
     * {@link MeterCatalog#builtIns()}.
     */
    public Builder meters(MeterCatalog meters) {
      this.meters = Objects.requireNonNull(meters, "meters");
      return this;
    }

    /** The clock for "now"; default the system clock. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The zone whose calendar month {@code GET /usage} reports by default; default the plan
     * catalog's zone, or UTC without quotas.
     */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * Builds the routes.
     *
     * @throws IllegalStateException if neither metering nor quotas were given
     */
    public MeteringAdminRoutes build() {
      if (metering == null && quotas == null) {
        throw new IllegalStateException("MeteringAdminRoutes needs metering, quotas or both");
      }
      return new MeteringAdminRoutes(this);
    }
  }
}
