package dev.tenantkit.metering.analytics;

import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.UsagePoint;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.QuotaStatus;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Usage analytics for one tenant at a time: usage over a period, breakdowns by dimension, error
 * statistics, an error analysis with rule-based recommendations, key figures and where the tenant
 * stands on its plan. It only reads, through {@link UsageQueries} and {@link QuotaEnforcer}, so its
 * numbers are those of the queries (identical before and after a rollup).
 *
 * <pre>{@code
 * UsageAnalytics analytics = UsageAnalytics.builder(metering.queries(), quotas).build();
 * TimeRange month = analytics.period("30d");
 * ErrorAnalysis analysis = analytics.errorAnalysis(TenantId.of("acme"), month);
 * analysis.recommendations().forEach(r -> System.out.println(r.message()));
 * }</pre>
 *
 * <p>Error figures come from the built-in meters {@code api_calls} and {@code errors} (dimensions
 * {@code endpoint}, {@code status}, {@code error_type}) and latency from {@code request_latency},
 * as the adapters' metering filter records them. The error rate is {@code errors / api_calls}.
 *
 * <p>Every method reads one tenant, the one passed in; none reads across tenants. Methods throw
 * {@link InvalidInputException} for a missing tenant (field {@code tenant}) or a missing range or
 * one longer than {@link #MAX_RANGE} (field {@code period}), and pass on the failures of the
 * queries and of the enforcer ({@link dev.tenantkit.metering.quota.UnknownPlanException}, {@link
 * dev.tenantkit.metering.quota.QuotaUnavailableException}).
 *
 * <p>Immutable and thread-safe.
 */
public final class UsageAnalytics {
  /** The most values listed per dimension in a breakdown. */
  public static final int MAX_SLICES = 100;

  /** The most (status, endpoint) patterns an error analysis lists. */
  public static final int MAX_PATTERNS = 10;

  /** The most raw error events an error analysis reads to find patterns (newest first). */
  public static final int MAX_EXAMINED_ERRORS = 10_000;

  /** A change of the error rate smaller than this (0.1 percentage point) is a flat trend. */
  public static final BigDecimal FLAT_BAND = new BigDecimal("0.0010");

  /** From this error rate on (5%), an analysis recommends looking at the errors. */
  public static final BigDecimal HIGH_ERROR_RATE = new BigDecimal("0.0500");

  /** The longest range any method accepts: a year and a bit more. */
  public static final Duration MAX_RANGE = Duration.ofDays(400);

  /** Periods up to this long get an hourly series in {@link #usageStats}, longer ones daily. */
  public static final Duration HOURLY_UP_TO = Duration.ofDays(7);

  private static final int RATE_SCALE = 4;
  private static final int PAGE = 1_000;
  private static final String API_CALLS = Meters.API_CALLS.name();
  private static final String ERRORS = Meters.ERRORS.name();
  private static final String LATENCY = Meters.REQUEST_LATENCY.name();

  private final UsageQueries queries;
  private final QuotaEnforcer quotas;
  private final InstantSource clock;
  private final ZoneId zone;
  private final List<MeterDefinition> meters;

  private UsageAnalytics(Builder b) {
    this.queries = b.queries;
    this.quotas = b.quotas;
    this.clock = b.clock;
    this.zone = b.zone == null ? b.quotas.admin().catalog().zone() : b.zone;
    this.meters =
        b.catalog.all().stream().sorted(Comparator.comparing(MeterDefinition::name)).toList();
  }

  /**
   * A builder over the tenant's usage and its quotas, with the system clock, the quota catalog's
   * zone and the built-in meters.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(UsageQueries queries, QuotaEnforcer quotas) {
    return new Builder(
        Objects.requireNonNull(queries, "queries"), Objects.requireNonNull(quotas, "quotas"));
  }

  /**
   * The named period ending now, by this analytics' clock; see {@link ReportPeriods#parse}.
   *
   * @throws InvalidInputException (field {@code period}) for a name not in {@link
   *     ReportPeriods#NAMES}
   */
  public TimeRange period(String name) {
    return ReportPeriods.parse(name, clock);
  }

  /** The time zone of days, hours of day and months. */
  public ZoneId zone() {
    return zone;
  }

  /**
   * Every meter's total and series over {@code range}: hourly for ranges up to {@link
   * #HOURLY_UP_TO}, else daily, with buckets on this analytics' zone.
   */
  public UsageStats usageStats(TenantId tenant, TimeRange range) {
    check(tenant, range);
    Duration length = Duration.between(range.from(), range.to());
    Granularity granularity =
        length.compareTo(HOURLY_UP_TO) <= 0 ? Granularity.HOUR : Granularity.DAY;
    List<MeterStats> stats = new ArrayList<>();
    for (MeterDefinition m : meters) {
      List<UsagePoint> series = queries.series(tenant, m.name(), range, granularity, zone);
      stats.add(
          new MeterStats(
              m.name(), m.unit(), m.aggregation(), queries.total(tenant, m.name(), range), series));
    }
    return new UsageStats(range, zone, granularity, stats);
  }

  /**
   * Every meter that declares dimensions, split by each of them over {@code range}: calls by
   * endpoint, method, status and error type, files by type, tokens by model, and so on.
   */
  public UsageBreakdown breakdown(TenantId tenant, TimeRange range) {
    check(tenant, range);
    List<MeterBreakdown> out = new ArrayList<>();
    for (MeterDefinition m : meters) {
      if (m.dimensions().isEmpty()) {
        continue;
      }
      BigDecimal total = queries.total(tenant, m.name(), range);
      boolean additive = m.aggregation() == Aggregation.COUNT || m.aggregation() == Aggregation.SUM;
      Map<String, List<Slice>> dims = new LinkedHashMap<>();
      for (String d : m.dimensions().stream().sorted().toList()) {
        dims.put(d, slices(queries.breakdown(tenant, m.name(), d, range), additive ? total : null));
      }
      out.add(new MeterBreakdown(m.name(), m.unit(), total, dims));
    }
    return new UsageBreakdown(range, out);
  }

  /**
   * The tenant's failed calls over {@code range}: how many, the error rate, and the errors by type,
   * status, endpoint and local hour of day.
   */
  public ErrorStats errorStats(TenantId tenant, TimeRange range) {
    check(tenant, range);
    long errors = count(tenant, ERRORS, range);
    long calls = count(tenant, API_CALLS, range);
    BigDecimal all = BigDecimal.valueOf(errors);
    long[] hours = new long[24];
    for (UsagePoint p : queries.series(tenant, ERRORS, range, Granularity.HOUR, zone)) {
      hours[p.start().atZone(zone).getHour()] += p.value().longValueExact();
    }
    List<Long> byHour = new ArrayList<>(24);
    for (long h : hours) {
      byHour.add(h);
    }
    return new ErrorStats(
        range,
        zone,
        errors,
        calls,
        errorRate(errors, calls),
        slices(queries.breakdown(tenant, ERRORS, "error_type", range), all),
        slices(queries.breakdown(tenant, ERRORS, "status", range), all),
        slices(queries.breakdown(tenant, ERRORS, "endpoint", range), all),
        byHour);
  }

  /**
   * What the tenant's errors over {@code range} say: the most frequent (status, endpoint) pairs,
   * the error rate against the period of equal length before, and recommendations. The rules are
   * fixed and deterministic:
   *
   * <ul>
   *   <li>per kind of status, if any error had it: 429 {@code rate-limited} ("consider a higher
   *       plan"), 401 {@code authentication} ("check API keys"), 403 {@code authorization}, 5xx
   *       {@code server-errors}, 404 {@code not-found}, 400 {@code bad-requests}, 413 {@code
   *       payload-too-large}, 415 {@code unsupported-media-type}; each names the endpoint with the
   *       most errors of that kind and says "most errors are ..." when the kind holds more than
   *       half of all errors; ordered by how many errors they concern (ties by code);
   *   <li>{@code limit-reached} for each hard allowance or gauge of the plan that is used up;
   *   <li>{@code high-error-rate} when the error rate is at least {@link #HIGH_ERROR_RATE};
   *   <li>{@code rising-error-rate} when the trend is {@link ErrorTrend.Direction#UP}.
   * </ul>
   */
  public ErrorAnalysis errorAnalysis(TenantId tenant, TimeRange range) {
    check(tenant, range);
    long errors = count(tenant, ERRORS, range);
    long calls = count(tenant, API_CALLS, range);
    Duration length = Duration.between(range.from(), range.to());
    TimeRange previous = new TimeRange(range.from().minus(length), range.from());
    BigDecimal rate = errorRate(errors, calls);
    BigDecimal previousRate =
        errorRate(count(tenant, ERRORS, previous), count(tenant, API_CALLS, previous));
    BigDecimal delta = rate.subtract(previousRate);
    ErrorTrend.Direction direction =
        delta.abs().compareTo(FLAT_BAND) < 0
            ? ErrorTrend.Direction.FLAT
            : delta.signum() > 0 ? ErrorTrend.Direction.UP : ErrorTrend.Direction.DOWN;
    ErrorTrend trend = new ErrorTrend(previous, rate, previousRate, delta, direction);

    Map<Pair, Long> pairs = new HashMap<>();
    long examined = examine(tenant, range, pairs);
    List<ErrorPattern> patterns =
        pairs.entrySet().stream()
            .sorted(PAIR_ORDER)
            .limit(MAX_PATTERNS)
            .map(
                e ->
                    new ErrorPattern(
                        e.getKey().status(),
                        e.getKey().endpoint(),
                        e.getValue(),
                        fraction(e.getValue(), examined)))
            .toList();
    Map<String, BigDecimal> byStatus = queries.breakdown(tenant, ERRORS, "status", range);
    List<Recommendation> advice = Advisor.advise(errors, byStatus, pairs, trend, limits(tenant));
    return new ErrorAnalysis(range, errors, examined, patterns, trend, advice);
  }

  /**
   * Key figures of today (from the start of the day in this analytics' zone) and of {@code range}:
   * every meter's aggregate, calls, errors, error rate and p95 latency.
   */
  public Kpis kpis(TenantId tenant, TimeRange range) {
    check(tenant, range);
    Instant now = clock.instant();
    TimeRange today =
        new TimeRange(
            ZonedDateTime.ofInstant(now, zone).toLocalDate().atStartOfDay(zone).toInstant(),
            ReportPeriods.end(now));
    return new Kpis(now, window(tenant, today), window(tenant, range));
  }

  /**
   * The tenant's usage this month so far (the month in this analytics' zone) and every limit of its
   * plan.
   */
  public CurrentUsage current(TenantId tenant) {
    check(tenant);
    Instant now = clock.instant();
    TimeRange month =
        new TimeRange(
            ZonedDateTime.ofInstant(now, zone)
                .toLocalDate()
                .withDayOfMonth(1)
                .atStartOfDay(zone)
                .toInstant(),
            ReportPeriods.end(now));
    return new CurrentUsage(now, month, values(tenant, month), limits(tenant));
  }

  /** Every limit of the tenant's plan, in the plan's order, with the warnings it has crossed. */
  public List<LimitUsage> quotas(TenantId tenant) {
    check(tenant);
    return limits(tenant);
  }

  /**
   * The error rate: {@code errors / apiCalls} rounded half-up to 4 decimals, at most 1 (the two
   * meters are buffered and flushed apart, so for a moment errors may lead); 0 with neither, 1 with
   * errors but no calls.
   */
  public static BigDecimal errorRate(long errors, long apiCalls) {
    if (errors <= 0) {
      return BigDecimal.ZERO.setScale(RATE_SCALE);
    }
    return fraction(errors, Math.max(apiCalls, errors));
  }

  private KpiWindow window(TenantId tenant, TimeRange range) {
    List<MeterValue> values = values(tenant, range);
    long calls = 0;
    long errors = 0;
    for (MeterValue v : values) {
      if (v.meter().equals(API_CALLS)) {
        calls = v.value().longValueExact();
      } else if (v.meter().equals(ERRORS)) {
        errors = v.value().longValueExact();
      }
    }
    return new KpiWindow(
        range,
        values,
        calls,
        errors,
        errorRate(errors, calls),
        queries.percentiles(tenant, LATENCY, range).p95());
  }

  private List<MeterValue> values(TenantId tenant, TimeRange range) {
    List<MeterValue> out = new ArrayList<>();
    for (MeterDefinition m : meters) {
      out.add(new MeterValue(m.name(), m.unit(), queries.total(tenant, m.name(), range)));
    }
    return out;
  }

  private List<LimitUsage> limits(TenantId tenant) {
    List<LimitUsage> out = new ArrayList<>();
    for (QuotaStatus s : quotas.admin().status(tenant)) {
      out.add(
          new LimitUsage(
              s.limitName(),
              s.kind(),
              s.used(),
              s.unlimited() ? null : s.limit(),
              s.unlimited() ? null : s.remaining(),
              s.percentUsed(),
              s.resetAt(),
              s.hard(),
              s.overridden(),
              s.thresholdsCrossed(),
              Advisor.warning(s)));
    }
    return out;
  }

  /** Counts error events per (status, endpoint), newest first, up to the cap; returns how many. */
  private long examine(TenantId tenant, TimeRange range, Map<Pair, Long> pairs) {
    EventFilter filter = new EventFilter(ERRORS, range, null, null);
    long examined = 0;
    String cursor = null;
    do {
      int limit = (int) Math.min(PAGE, MAX_EXAMINED_ERRORS - examined);
      Page<RecordedEvent> page = queries.events(tenant, filter, cursor, limit);
      for (RecordedEvent e : page.items()) {
        Map<String, String> d = e.event().dimensions();
        pairs.merge(
            new Pair(d.getOrDefault("status", ""), d.getOrDefault("endpoint", "")), 1L, Long::sum);
      }
      examined += page.items().size();
      cursor = page.nextCursor();
    } while (cursor != null && examined < MAX_EXAMINED_ERRORS);
    return examined;
  }

  private long count(TenantId tenant, String meter, TimeRange range) {
    return queries.total(tenant, meter, range).longValueExact();
  }

  private static List<Slice> slices(Map<String, BigDecimal> values, BigDecimal total) {
    boolean shares = total != null && total.signum() > 0;
    return values.entrySet().stream()
        .limit(MAX_SLICES)
        .map(
            e ->
                new Slice(
                    e.getKey(),
                    e.getValue(),
                    shares ? e.getValue().divide(total, RATE_SCALE, RoundingMode.HALF_UP) : null))
        .toList();
  }

  static BigDecimal fraction(long part, long whole) {
    if (whole <= 0) {
      return BigDecimal.ZERO.setScale(RATE_SCALE);
    }
    return BigDecimal.valueOf(part)
        .divide(BigDecimal.valueOf(whole), RATE_SCALE, RoundingMode.HALF_UP);
  }

  private static void check(TenantId tenant) {
    if (tenant == null) {
      throw new InvalidInputException("tenant", "a tenant is required");
    }
  }

  private static void check(TenantId tenant, TimeRange range) {
    check(tenant);
    if (range == null) {
      throw new InvalidInputException("period", "a period is required");
    }
    if (Duration.between(range.from(), range.to()).compareTo(MAX_RANGE) > 0) {
      throw new InvalidInputException(
          "period", "a period is at most " + MAX_RANGE.toDays() + " days long");
    }
  }

  private static final Comparator<Map.Entry<Pair, Long>> PAIR_ORDER =
      Map.Entry.<Pair, Long>comparingByValue()
          .reversed()
          .thenComparing(e -> e.getKey().status())
          .thenComparing(e -> e.getKey().endpoint());

  /** A status and an endpoint, as recorded on an error event. */
  record Pair(String status, String endpoint) {}

  /** Builder of {@link UsageAnalytics}. Not thread-safe. */
  public static final class Builder {
    private static final Set<String> ERROR_DIMENSIONS = Set.of("endpoint", "status", "error_type");

    private final UsageQueries queries;
    private final QuotaEnforcer quotas;
    private InstantSource clock = InstantSource.system();
    private ZoneId zone;
    private MeterCatalog catalog = MeterCatalog.builtIns();

    private Builder(UsageQueries queries, QuotaEnforcer quotas) {
      this.queries = queries;
      this.quotas = quotas;
    }

    /** Where "now" comes from; default the system clock. Tests pass a fake one. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The zone of days, hours of day and months; default the quota catalog's zone (UTC unless the
     * catalog says otherwise).
     */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * The meters to report, the same catalog metering was built with; default {@link
     * MeterCatalog#builtIns()}. It must hold the built-in {@code api_calls}, {@code errors} and
     * {@code request_latency}.
     */
    public Builder catalog(MeterCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * Builds the analytics.
     *
     * @throws InvalidInputException (field {@code catalog}) if the catalog lacks {@code api_calls},
     *     {@code errors} (with dimensions endpoint, status and error_type) or a distribution meter
     *     {@code request_latency}
     */
    public UsageAnalytics build() {
      MeterDefinition calls = require(API_CALLS);
      MeterDefinition errors = require(ERRORS);
      MeterDefinition latency = require(LATENCY);
      if (calls.aggregation() != Aggregation.COUNT
          || errors.aggregation() != Aggregation.COUNT
          || !errors.dimensions().containsAll(ERROR_DIMENSIONS)) {
        throw new InvalidInputException(
            "catalog",
            "api_calls and errors must be COUNT meters, errors with the dimensions endpoint,"
                + " status and error_type, as Meters declares them");
      }
      if (!latency.distribution()) {
        throw new InvalidInputException(
            "catalog", "request_latency must keep a distribution, as Meters declares it");
      }
      return new UsageAnalytics(this);
    }

    private MeterDefinition require(String name) {
      return catalog
          .find(name)
          .orElseThrow(
              () ->
                  new InvalidInputException(
                      "catalog", "the meter catalog lacks the built-in meter '" + name + "'"));
    }
  }
}
