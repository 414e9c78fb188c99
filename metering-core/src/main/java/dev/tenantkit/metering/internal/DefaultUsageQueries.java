package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Percentiles;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.TenantUsage;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.UsageAcrossTenants;
import dev.tenantkit.metering.UsagePoint;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.metering.spi.Rollup;
import dev.tenantkit.metering.spi.TenantMarks;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/** The {@link UsageQueries} of {@code Metering}. Stateless; thread-safe. */
final class DefaultUsageQueries implements UsageQueries {
  static final int MAX_BUCKETS = 10_000;
  static final int MAX_TOP = 1_000;
  private static final int EXPORT_PAGE = 500;
  private static final String ALL = "";

  private final UsageStore store;
  private final MeterCatalog catalog;
  private final EventPages eventPages;

  DefaultUsageQueries(UsageStore store, MeterCatalog catalog) {
    this.store = store;
    this.catalog = catalog;
    this.eventPages = new EventPages(store);
  }

  @Override
  public BigDecimal total(TenantId tenantId, String meter, TimeRange range) {
    MeterDefinition m = meter(meter);
    requireRange(range);
    return total(tenantId, m, range, m.aggregation(), store.marks(tenantId));
  }

  @Override
  public BigDecimal total(TenantId tenantId, String meter, TimeRange range, Aggregation as) {
    MeterDefinition m = meter(meter);
    requireRange(range);
    if (as == null) {
      throw new InvalidInputException("aggregation", "an aggregation is required");
    }
    if (!m.readableAs(as)) {
      throw new InvalidInputException(
          "aggregation",
          "meter '"
              + m.name()
              + "' aggregates "
              + m.aggregation()
              + "; its events cannot be read as "
              + as);
    }
    return total(tenantId, m, range, as, store.marks(tenantId));
  }

  private BigDecimal total(
      TenantId tenantId, MeterDefinition m, TimeRange range, Aggregation as, TenantMarks marks) {
    if (as == Aggregation.WEIGHTED_SUM) {
      return weighted(tenantId, m, List.of(range), ALL, marks)
          .get(0)
          .getOrDefault(ALL, BigDecimal.ZERO);
    }
    Aggregate a = compute(tenantId, m, List.of(range), ALL, marks).get(0).get(ALL);
    return a == null ? BigDecimal.ZERO : a.value(as);
  }

  @Override
  public long forEachEvent(
      TenantId tenantId, String meter, TimeRange range, Consumer<RecordedEvent> sink) {
    Objects.requireNonNull(tenantId, "tenantId");
    MeterDefinition m = meter(meter);
    requireRange(range);
    Objects.requireNonNull(sink, "sink");
    WeightedSums.requireRawEvents(m.name(), range.from(), store.marks(tenantId));
    long passed = 0;
    Instant afterAt = null;
    long afterId = 0;
    while (true) {
      List<RecordedEvent> page =
          store.eventsInTimeOrder(
              tenantId, m.name(), range.from(), range.to(), afterAt, afterId, EXPORT_PAGE);
      for (RecordedEvent e : page) {
        sink.accept(e);
      }
      passed += page.size();
      if (page.size() < EXPORT_PAGE) {
        return passed;
      }
      RecordedEvent last = page.get(page.size() - 1);
      afterAt = last.event().timestamp();
      afterId = last.id();
    }
  }

  /**
   * Each bucket's weighted sum per value of {@code dimension}: the opening levels are the sums of
   * every earlier event, read like any sum (rollups and raw events), and the buckets themselves
   * come from raw events.
   */
  private List<Map<String, BigDecimal>> weighted(
      TenantId tenant,
      MeterDefinition m,
      List<TimeRange> buckets,
      String dimension,
      TenantMarks marks) {
    Objects.requireNonNull(tenant, "tenantId");
    Instant from = buckets.get(0).from();
    Map<String, BigDecimal> opening = new HashMap<>();
    if (from.isAfter(Instant.EPOCH)) {
      compute(tenant, m, List.of(new TimeRange(Instant.EPOCH, from)), dimension, marks)
          .get(0)
          .forEach((k, a) -> opening.put(k, a.value(Aggregation.SUM)));
    }
    return WeightedSums.compute(store, tenant, m.name(), buckets, dimension, opening, marks);
  }

  @Override
  public List<UsagePoint> series(
      TenantId tenantId, String meter, TimeRange range, Granularity granularity, ZoneId zone) {
    MeterDefinition m = meter(meter);
    requireRange(range);
    Objects.requireNonNull(granularity, "granularity");
    Objects.requireNonNull(zone, "zone");
    List<ZonedDateTime> starts = new ArrayList<>();
    List<TimeRange> buckets = new ArrayList<>();
    ZonedDateTime start = floor(range.from().atZone(zone), granularity);
    while (start.toInstant().isBefore(range.to())) {
      ZonedDateTime next = next(start, granularity);
      if (buckets.size() == MAX_BUCKETS) {
        throw new InvalidInputException(
            "granularity", "a series has at most " + MAX_BUCKETS + " buckets");
      }
      starts.add(start);
      buckets.add(
          new TimeRange(
              Times.max(start.toInstant(), range.from()), Times.min(next.toInstant(), range.to())));
      start = next;
    }
    List<UsagePoint> points = new ArrayList<>(buckets.size());
    TenantMarks marks = store.marks(tenantId);
    if (m.aggregation() == Aggregation.WEIGHTED_SUM) {
      List<Map<String, BigDecimal>> values = weighted(tenantId, m, buckets, ALL, marks);
      for (int i = 0; i < buckets.size(); i++) {
        points.add(
            new UsagePoint(
                starts.get(i).toInstant(), values.get(i).getOrDefault(ALL, BigDecimal.ZERO)));
      }
      return points;
    }
    List<Map<String, Aggregate>> values = compute(tenantId, m, buckets, ALL, marks);
    for (int i = 0; i < buckets.size(); i++) {
      Aggregate a = values.get(i).get(ALL);
      points.add(
          new UsagePoint(
              starts.get(i).toInstant(), a == null ? BigDecimal.ZERO : a.value(m.aggregation())));
    }
    return points;
  }

  @Override
  public Map<String, BigDecimal> breakdown(
      TenantId tenantId, String meter, String dimension, TimeRange range) {
    MeterDefinition m = meter(meter);
    requireRange(range);
    if (dimension == null || !m.dimensions().contains(dimension)) {
      throw new InvalidInputException(
          "dimension", "meter '" + m.name() + "' declares no dimension '" + dimension + "'");
    }
    Map<String, BigDecimal> values = new HashMap<>();
    if (m.aggregation() == Aggregation.WEIGHTED_SUM) {
      values.putAll(weighted(tenantId, m, List.of(range), dimension, store.marks(tenantId)).get(0));
    } else {
      compute(tenantId, m, List.of(range), dimension, store.marks(tenantId))
          .get(0)
          .forEach((k, a) -> values.put(k, a.value(m.aggregation())));
    }
    Map<String, BigDecimal> ordered = new LinkedHashMap<>();
    values.entrySet().stream()
        .sorted(
            Map.Entry.<String, BigDecimal>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return ordered;
  }

  @Override
  public Percentiles percentiles(TenantId tenantId, String meter, TimeRange range) {
    MeterDefinition m = meter(meter);
    requireRange(range);
    if (!m.distribution()) {
      throw new InvalidInputException(
          "meter", "meter '" + m.name() + "' keeps no distribution of its quantities");
    }
    Aggregate a = compute(tenantId, m, List.of(range), ALL, store.marks(tenantId)).get(0).get(ALL);
    if (a == null) {
      a = Aggregate.forMeter(m);
    }
    return new Percentiles(
        a.count(),
        a.quantile(0.50),
        a.quantile(0.95),
        a.quantile(0.99),
        BigDecimal.valueOf(Aggregate.RELATIVE_ACCURACY));
  }

  @Override
  public List<TenantUsage> topConsumers(String meter, TimeRange range, int limit) {
    return acrossTenants(meter, range, limit, "limit").top();
  }

  @Override
  public UsageAcrossTenants acrossTenants(String meter, TimeRange range, int top) {
    return acrossTenants(meter, range, top, "top");
  }

  private UsageAcrossTenants acrossTenants(String meter, TimeRange range, int top, String field) {
    return acrossTenants(Collections.singletonList(meter), range, top, field).get(meter);
  }

  @Override
  public Map<String, UsageAcrossTenants> acrossTenants(
      Collection<String> meters, TimeRange range, int top) {
    return acrossTenants(meters, range, top, "top");
  }

  private Map<String, UsageAcrossTenants> acrossTenants(
      Collection<String> meters, TimeRange range, int top, String field) {
    if (meters == null || meters.isEmpty()) {
      throw new InvalidInputException("meters", "name at least one meter");
    }
    Map<String, MeterDefinition> byName = new LinkedHashMap<>();
    for (String name : meters) {
      byName.put(name, meter(name));
    }
    requireRange(range);
    if (top < 1 || top > MAX_TOP) {
      throw new InvalidInputException(field, field + " must be 1 to " + MAX_TOP);
    }
    Map<String, List<TenantUsage>> all = new HashMap<>();
    Map<String, BigDecimal> totals = new HashMap<>();
    for (String name : byName.keySet()) {
      all.put(name, new ArrayList<>());
      totals.put(name, BigDecimal.ZERO);
    }
    for (TenantMarks marks : store.tenants()) {
      Map<String, List<Map<String, Aggregate>>> values =
          compute(marks.tenantId(), byName, List.of(range), ALL, marks);
      for (MeterDefinition m : byName.values()) {
        BigDecimal value;
        if (m.aggregation() == Aggregation.WEIGHTED_SUM) {
          // A gauge counts for a tenant that held a level in the range, with or without events.
          value = weighted(marks.tenantId(), m, List.of(range), ALL, marks).get(0).get(ALL);
        } else {
          Aggregate a = values.get(m.name()).get(0).get(ALL);
          value = a != null && a.count() > 0 ? a.value(m.aggregation()) : null;
        }
        if (value != null) {
          all.get(m.name()).add(new TenantUsage(marks.tenantId(), value));
          BigDecimal total = totals.get(m.name());
          totals.put(
              m.name(), m.aggregation() == Aggregation.MAX ? total.max(value) : total.add(value));
        }
      }
    }
    Map<String, UsageAcrossTenants> out = new LinkedHashMap<>();
    for (String name : byName.keySet()) {
      List<TenantUsage> usages = all.get(name);
      usages.sort(
          Comparator.comparing(TenantUsage::value).reversed().thenComparing(TenantUsage::tenantId));
      out.put(
          name,
          new UsageAcrossTenants(
              totals.get(name), usages.size(), usages.subList(0, Math.min(top, usages.size()))));
    }
    return out;
  }

  @Override
  public Page<RecordedEvent> events(
      TenantId tenantId, EventFilter filter, String cursor, int limit) {
    Objects.requireNonNull(tenantId, "tenantId");
    return eventPages.page(tenantId, filter(filter), cursor, limit);
  }

  @Override
  public long exportCsv(TenantId tenantId, EventFilter filter, Writer out, int rowLimit) {
    Objects.requireNonNull(tenantId, "tenantId");
    return eventPages.exportCsv(tenantId, filter(filter), out, rowLimit);
  }

  /**
   * The aggregate of each bucket, per value of {@code dimension} ({@code ""} for all events under
   * the single key {@code ""}).
   */
  private List<Map<String, Aggregate>> compute(
      TenantId tenant,
      MeterDefinition m,
      List<TimeRange> buckets,
      String dimension,
      TenantMarks marks) {
    return compute(tenant, Map.of(m.name(), m), buckets, dimension, marks).get(m.name());
  }

  /**
   * Each meter's aggregates per bucket and dimension value, from raw events and rollups as the
   * tenant's marks allow. One meter is read alone; several are read together, so that a question
   * about every meter costs the same three reads as one about a single meter.
   */
  private Map<String, List<Map<String, Aggregate>>> compute(
      TenantId tenant,
      Map<String, MeterDefinition> meters,
      List<TimeRange> buckets,
      String dimension,
      TenantMarks marks) {
    Objects.requireNonNull(tenant, "tenantId");
    QueryPlan plan = QueryPlan.of(buckets, marks);
    String only = meters.size() == 1 ? meters.keySet().iterator().next() : null;
    Map<String, List<Map<String, Aggregate>>> out = new HashMap<>();
    for (String name : meters.keySet()) {
      List<Map<String, Aggregate>> perBucket = new ArrayList<>(buckets.size());
      for (int i = 0; i < buckets.size(); i++) {
        perBucket.add(new HashMap<>());
      }
      out.put(name, perBucket);
    }
    for (TimeRange raw : plan.rawIntervals()) {
      store.scan(
          tenant,
          only,
          raw.from(),
          raw.to(),
          e -> {
            MeterDefinition m = meters.get(e.event().meter());
            int b = plan.bucketOfRaw(e.event().timestamp());
            if (m != null && b >= 0) {
              String key =
                  dimension.isEmpty() ? ALL : e.event().dimensions().getOrDefault(dimension, "");
              out.get(m.name()).get(b).computeIfAbsent(key, k -> Aggregate.forMeter(m)).add(e);
            }
          });
    }
    mergeRollups(
        tenant,
        meters,
        only,
        Granularity.HOUR,
        plan.hourSpan(),
        plan::bucketOfHour,
        dimension,
        out);
    mergeRollups(
        tenant, meters, only, Granularity.DAY, plan.daySpan(), plan::bucketOfDay, dimension, out);
    return out;
  }

  private void mergeRollups(
      TenantId tenant,
      Map<String, MeterDefinition> meters,
      String only,
      Granularity granularity,
      TimeRange span,
      ToIntFunction<Instant> bucketOf,
      String dimension,
      Map<String, List<Map<String, Aggregate>>> out) {
    if (span == null) {
      return;
    }
    for (Rollup r : store.rollups(tenant, only, granularity, span.from(), span.to(), dimension)) {
      MeterDefinition m = meters.get(r.meter());
      int b = bucketOf.applyAsInt(r.bucketStart());
      if (m != null && b >= 0) {
        out.get(m.name())
            .get(b)
            .computeIfAbsent(r.dimensionValue(), k -> Aggregate.forMeter(m))
            .merge(r);
      }
    }
  }

  private MeterDefinition meter(String name) {
    return catalog
        .find(name)
        .orElseThrow(() -> new InvalidInputException("meter", "no meter named '" + name + "'"));
  }

  private EventFilter filter(EventFilter filter) {
    EventFilter f = filter == null ? EventFilter.all() : filter;
    if (f.meter() != null) {
      meter(f.meter());
    }
    return f;
  }

  private static void requireRange(TimeRange range) {
    if (range == null) {
      throw new InvalidInputException("period", "a time range is required");
    }
  }

  private static ZonedDateTime floor(ZonedDateTime t, Granularity g) {
    return switch (g) {
      case MINUTE -> t.truncatedTo(ChronoUnit.MINUTES);
      case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
      case DAY -> t.toLocalDate().atStartOfDay(t.getZone());
      case MONTH -> t.toLocalDate().withDayOfMonth(1).atStartOfDay(t.getZone());
    };
  }

  private static ZonedDateTime next(ZonedDateTime t, Granularity g) {
    return switch (g) {
      case MINUTE -> t.plusMinutes(1);
      case HOUR -> t.plusHours(1);
      case DAY -> t.toLocalDate().plusDays(1).atStartOfDay(t.getZone());
      case MONTH -> t.toLocalDate().plusMonths(1).atStartOfDay(t.getZone());
    };
  }
}
