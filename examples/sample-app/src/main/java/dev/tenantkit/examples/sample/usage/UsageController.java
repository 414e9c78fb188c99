package dev.tenantkit.examples.sample.usage;

import dev.tenantkit.examples.sample.web.Params;
import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.metering.analytics.CurrentUsage;
import dev.tenantkit.metering.analytics.ErrorAnalysis;
import dev.tenantkit.metering.analytics.ErrorStats;
import dev.tenantkit.metering.analytics.Kpis;
import dev.tenantkit.metering.analytics.LimitUsage;
import dev.tenantkit.metering.analytics.UsageAnalytics;
import dev.tenantkit.metering.analytics.UsageBreakdown;
import dev.tenantkit.metering.analytics.UsageStats;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Usage, errors, quotas and analytics of the calling tenant, as JSON from {@link UsageAnalytics}'s
 * records (and CSV for the export). The tenant is always the one the credential names; no parameter
 * chooses another. The tenant filter requires the scope {@code usage:read} on these paths ({@code
 * tenantkit.filter.scopes} in {@code application.properties}).
 *
 * <p>{@code period} is {@code 7d}, {@code 30d} (the default), {@code 90d} or {@code 1y}; anything
 * else, and any malformed filter, cursor or limit, is a 400 problem naming the parameter.
 */
@RestController
class UsageController {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private final UsageAnalytics analytics;
  private final UsageQueries queries;
  private final InstantSource clock;

  UsageController(
      UsageAnalytics analytics, UsageQueries queries, ObjectProvider<InstantSource> clock) {
    this.analytics = analytics;
    this.queries = queries;
    this.clock = clock.getIfUnique(InstantSource::system);
  }

  @GetMapping("/api/usage/current")
  CurrentUsage current() {
    return analytics.current(tenant());
  }

  @GetMapping("/api/usage/stats")
  UsageStats stats(@RequestParam(name = "period", required = false) String period) {
    return analytics.usageStats(tenant(), period(period));
  }

  @GetMapping("/api/usage/breakdown")
  UsageBreakdown breakdown(@RequestParam(name = "period", required = false) String period) {
    return analytics.breakdown(tenant(), period(period));
  }

  @GetMapping("/api/errors/stats")
  ErrorStats errorStats(@RequestParam(name = "period", required = false) String period) {
    return analytics.errorStats(tenant(), period(period));
  }

  @GetMapping("/api/errors/analysis")
  ErrorAnalysis errorAnalysis(@RequestParam(name = "period", required = false) String period) {
    return analytics.errorAnalysis(tenant(), period(period));
  }

  @GetMapping("/api/quotas")
  Limits quotas() {
    return new Limits(analytics.quotas(tenant()));
  }

  @GetMapping("/api/analytics/metrics")
  Kpis metrics(@RequestParam(name = "period", required = false) String period) {
    return analytics.kpis(tenant(), period(period));
  }

  @GetMapping("/api/analytics/events")
  Events events(
      @RequestParam(name = "meter", required = false) String meter,
      @RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to,
      @RequestParam(name = "userId", required = false) String userId,
      @RequestParam(name = "source", required = false) String source,
      @RequestParam(name = "cursor", required = false) String cursor,
      @RequestParam(name = "limit", required = false) String limit) {
    EventFilter filter = filter(meter, from, to, userId, source);
    Page<RecordedEvent> page =
        queries.events(tenant(), filter, cursor, Params.limit("limit", limit, 100, 1_000));
    return new Events(page.items().stream().map(EventView::of).toList(), page.nextCursor());
  }

  /**
   * Streams the tenant's raw events as CSV, newest first, at most {@value
   * UsageQueries#DEFAULT_EXPORT_ROWS} rows, with the same filters as the event listing.
   */
  @GetMapping("/api/analytics/export.csv")
  void export(
      @RequestParam(name = "meter", required = false) String meter,
      @RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to,
      @RequestParam(name = "userId", required = false) String userId,
      @RequestParam(name = "source", required = false) String source,
      HttpServletResponse response)
      throws IOException {
    TenantId tenant = tenant();
    EventFilter filter = filter(meter, from, to, userId, source);
    // Refuses an unknown meter before the first byte, while a problem can still be answered.
    queries.events(tenant, filter, null, 1);
    response.setContentType("text/csv;charset=UTF-8");
    response.setHeader(
        HttpHeaders.CONTENT_DISPOSITION,
        ContentDisposition.attachment()
            .filename("usage-" + tenant.value() + "-" + DAY.format(clock.instant()) + ".csv")
            .build()
            .toString());
    response.setHeader("Cache-Control", "no-store");
    Writer out =
        new BufferedWriter(
            new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
    queries.exportCsv(tenant, filter, out, UsageQueries.DEFAULT_EXPORT_ROWS);
    out.flush();
  }

  private TimeRange period(String period) {
    return analytics.period(period == null ? "30d" : period);
  }

  private EventFilter filter(
      String meter, String fromText, String toText, String userId, String source) {
    Instant from = Params.instant("from", fromText);
    Instant to = Params.instant("to", toText);
    TimeRange range = null;
    if (from != null || to != null) {
      // An open end is the same on every page, unlike "now": the cursor is bound to the range.
      Instant end = to == null ? EventFilter.OPEN_END : to;
      Instant start = from == null ? Instant.EPOCH : from;
      if (!end.isAfter(start)) {
        throw new InvalidInputException(to == null ? "from" : "to", "to must be after from");
      }
      range = new TimeRange(start, end);
    }
    return new EventFilter(blankToNull(meter), range, blankToNull(userId), blankToNull(source));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static TenantId tenant() {
    return TenantContext.requireTenant();
  }

  /** Every limit of the tenant's plan. */
  record Limits(List<LimitUsage> limits) {}

  /** One page of raw events. */
  record Events(List<EventView> items, String nextCursor) {}
}
