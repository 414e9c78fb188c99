package dev.tenantkit.metering.quota;

import dev.tenantkit.metering.quota.internal.CatalogReader;
import dev.tenantkit.metering.quota.internal.SettingsCatalogReader;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.config.InvalidSettingException;
import dev.tenantkit.tenancy.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The plans a {@link QuotaEnforcer} knows, with the time zone in which allowance periods start and
 * the usage thresholds (in percent of a limit) that are published to {@link QuotaListener}s.
 * Immutable and thread-safe.
 *
 * <p>Build one with {@link #builder()}, read one with {@link #fromJson(Path)} or {@link
 * #fromYaml(Path)} (one schema for both, described in {@code docs/quotas.md}) or from flat
 * key/values with {@link #fromSettings(Settings)}, or start from {@link #defaults()}. A plan in a
 * file may also have a {@code prices} section, which these readers accept and ignore: billing-core
 * reads the same file for prices.
 *
 * <p>Every plan names the same limits, each with one kind in every plan; a plan without a limit
 * says so with {@link LimitSpec#UNLIMITED}. This keeps "not listed" from silently meaning either
 * "forbidden" or "free".
 *
 * @param zone where allowance periods start and end
 * @param thresholds the usage thresholds in percent, ascending, each 1 to 1000
 * @param plans the plans by id, in the order they were added
 */
public record PlanCatalog(ZoneId zone, List<Integer> thresholds, Map<String, Plan> plans) {

  /** Files stored: a gauge. */
  public static final String FILES = "files";

  /** Bytes stored: a gauge. */
  public static final String STORAGE_BYTES = "storage_bytes";

  /** API calls per month: an allowance. */
  public static final String API_CALLS = "api_calls";

  /** Model tokens per day: an allowance. */
  public static final String TOKENS = "tokens";

  /** Requests per minute: a rate limit. */
  public static final String REQUESTS_PER_MINUTE = "requests_per_minute";

  /** The thresholds used unless configured: 80, 90 and 100 percent. */
  public static final List<Integer> DEFAULT_THRESHOLDS = List.of(80, 90, 100);

  private static final long GIB = 1L << 30;
  private static final PlanCatalog DEFAULTS = buildDefaults();

  /**
   * Checks the components and copies the collections.
   *
   * @throws InvalidInputException if a component is missing, a threshold is out of range, a map key
   *     differs from its plan's id, the plans do not all name the same limits, or one limit name
   *     has two kinds in two plans
   */
  public PlanCatalog {
    if (zone == null) {
      throw new InvalidInputException("zone", "is required");
    }
    // "UTC", "Z" and "Etc/UTC" are one zone; normalising makes equal catalogs equal.
    zone = zone.normalized();
    Objects.requireNonNull(thresholds, "thresholds");
    Objects.requireNonNull(plans, "plans");
    TreeSet<Integer> sorted = new TreeSet<>();
    for (Integer t : thresholds) {
      if (t == null || t < 1 || t > 1000) {
        throw new InvalidInputException("thresholds", "a threshold is a percentage from 1 to 1000");
      }
      sorted.add(t);
    }
    thresholds = List.copyOf(sorted);
    Map<String, Plan> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Plan> e : plans.entrySet()) {
      if (e.getValue() == null || !e.getValue().id().equals(e.getKey())) {
        throw new InvalidInputException("plans", "plan '" + e.getKey() + "' is keyed by its id");
      }
      copy.put(e.getKey(), e.getValue());
    }
    checkOneKindPerName(copy);
    checkSameNames(copy);
    plans = Collections.unmodifiableMap(copy);
  }

  private static void checkSameNames(Map<String, Plan> plans) {
    Plan first = null;
    for (Plan p : plans.values()) {
      if (first == null) {
        first = p;
      } else if (!p.limits().keySet().equals(first.limits().keySet())) {
        Set<String> missing = new TreeSet<>(first.limits().keySet());
        missing.removeAll(p.limits().keySet());
        Set<String> extra = new TreeSet<>(p.limits().keySet());
        extra.removeAll(first.limits().keySet());
        String problem =
            missing.isEmpty()
                ? "plan '"
                    + first.id()
                    + "' lacks limits "
                    + extra
                    + " that plan '"
                    + p.id()
                    + "' has"
                : "plan '"
                    + p.id()
                    + "' lacks limits "
                    + missing
                    + " that plan '"
                    + first.id()
                    + "' has";
        throw new InvalidInputException(
            "plans",
            problem + "; every plan names every limit (use unlimited where there is none)");
      }
    }
  }

  private static void checkOneKindPerName(Map<String, Plan> plans) {
    Map<String, LimitKind> kinds = new LinkedHashMap<>();
    for (Plan p : plans.values()) {
      for (Map.Entry<String, LimitSpec> e : p.limits().entrySet()) {
        LimitKind before = kinds.putIfAbsent(e.getKey(), e.getValue().kind());
        if (before != null && before != e.getValue().kind()) {
          throw new InvalidInputException(
              "plans",
              "limit '"
                  + e.getKey()
                  + "' is "
                  + before
                  + " in one plan but "
                  + e.getValue().kind()
                  + " in plan '"
                  + p.id()
                  + "'");
        }
      }
    }
  }

  /** A builder with time zone UTC, thresholds 80, 90, 100 and no plans. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The plans of the original design, in UTC:
   *
   * <table>
   *   <caption>Default plans</caption>
   *   <tr><th>limit</th><th>free</th><th>starter</th><th>professional</th><th>enterprise</th></tr>
   *   <tr><td>files (gauge)</td><td>100</td><td>1,000</td><td>10,000</td><td>unlimited</td></tr>
   *   <tr><td>storage_bytes (gauge)</td><td>1 GiB</td><td>10 GiB</td><td>100 GiB</td>
   *       <td>unlimited</td></tr>
   *   <tr><td>api_calls (per month)</td><td>1,000</td><td>10,000</td><td>100,000</td>
   *       <td>unlimited</td></tr>
   *   <tr><td>tokens (per day)</td><td>10,000</td><td>100,000</td><td>500,000</td>
   *       <td>unlimited</td></tr>
   *   <tr><td>requests_per_minute (rate)</td><td>30</td><td>60</td><td>120</td>
   *       <td>unlimited</td></tr>
   * </table>
   *
   * All limits are hard. The plan ids are {@code free}, {@code starter}, {@code professional} and
   * {@code enterprise}.
   */
  public static PlanCatalog defaults() {
    return DEFAULTS;
  }

  /**
   * Reads a catalog from JSON text.
   *
   * @param json the document
   * @param source a name for the document in error messages, such as its file name
   * @throws InvalidPlanCatalogException naming the source and the path of the first problem
   */
  public static PlanCatalog fromJson(String json, String source) {
    return CatalogReader.json(json, source);
  }

  /**
   * Reads a catalog from a JSON file (UTF-8).
   *
   * @throws InvalidPlanCatalogException naming the file and the path of the first problem
   * @throws UncheckedIOException if the file cannot be read
   */
  public static PlanCatalog fromJson(Path file) {
    return CatalogReader.json(read(file), file.toString());
  }

  /**
   * Reads a catalog from YAML text, with the same schema as JSON. Needs {@code
   * com.fasterxml.jackson.dataformat:jackson-dataformat-yaml} on the class path.
   *
   * @param yaml the document
   * @param source a name for the document in error messages, such as its file name
   * @throws InvalidPlanCatalogException naming the source and the path of the first problem
   * @throws IllegalStateException if the YAML module is not on the class path
   */
  public static PlanCatalog fromYaml(String yaml, String source) {
    return CatalogReader.yaml(yaml, source);
  }

  /**
   * Reads a catalog from a YAML file (UTF-8); see {@link #fromYaml(String, String)}.
   *
   * @throws InvalidPlanCatalogException naming the file and the path of the first problem
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalStateException if the YAML module is not on the class path
   */
  public static PlanCatalog fromYaml(Path file) {
    return CatalogReader.yaml(read(file), file.toString());
  }

  /**
   * Reads a catalog from flat settings, the form in which hosts write it as key/values (Spring
   * Boot's {@code tenantkit.quotas.*} properties, servlet context init-params, a properties file):
   *
   * <pre>
   * plans.team.api-calls.kind=allowance
   * plans.team.api-calls.limit=50_000
   * plans.team.api-calls.period=month
   * plans.team.requests-per-minute.kind=rate
   * plans.team.requests-per-minute.limit=60
   * plans.team.requests-per-minute.period=1m
   * zone=Europe/Berlin
   * thresholds=80,100
   * </pre>
   *
   * Each limit has {@code kind}, {@code limit}, {@code period} (the file schema's {@code per}),
   * {@code refill} and {@code soft}, with the values and rules of the file schema; a limit name may
   * be written with hyphens ({@code api-calls} is {@code api_calls}). {@code zone} and {@code
   * thresholds} are optional, as in a file. The catalog is built directly, not through the file
   * reader.
   *
   * @param settings the settings, such as {@code Settings.of(map).under("tenantkit.quotas.")}
   * @throws InvalidSettingException naming the full key of the first problem
   */
  public static PlanCatalog fromSettings(Settings settings) {
    return SettingsCatalogReader.read(settings);
  }

  /** The plan with this id, or empty. */
  public Optional<Plan> plan(String id) {
    return Optional.ofNullable(plans.get(id));
  }

  /** Every limit name some plan of the catalog defines, sorted. */
  public Set<String> limitNames() {
    Set<String> names = new TreeSet<>();
    for (Plan p : plans.values()) {
      names.addAll(p.limits().keySet());
    }
    return Collections.unmodifiableSet(names);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read plan catalog " + file, e);
    }
  }

  private static PlanCatalog buildDefaults() {
    Duration minute = Duration.ofMinutes(1);
    long u = LimitSpec.UNLIMITED;
    return builder()
        .plan(standard("free", 100, GIB, 1_000, 10_000, 30))
        .plan(standard("starter", 1_000, 10 * GIB, 10_000, 100_000, 60))
        .plan(standard("professional", 10_000, 100 * GIB, 100_000, 500_000, 120))
        .plan(
            Plan.builder("enterprise")
                .limit(FILES, LimitSpec.gauge(u))
                .limit(STORAGE_BYTES, LimitSpec.gauge(u))
                .limit(API_CALLS, LimitSpec.allowance(u, ResetPeriod.MONTH))
                .limit(TOKENS, LimitSpec.allowance(u, ResetPeriod.DAY))
                .limit(REQUESTS_PER_MINUTE, LimitSpec.rate(u, minute))
                .build())
        .build();
  }

  private static Plan standard(
      String id, long files, long bytes, long apiCallsPerMonth, long tokensPerDay, long perMinute) {
    return Plan.builder(id)
        .limit(FILES, LimitSpec.gauge(files))
        .limit(STORAGE_BYTES, LimitSpec.gauge(bytes))
        .limit(API_CALLS, LimitSpec.allowance(apiCallsPerMonth, ResetPeriod.MONTH))
        .limit(TOKENS, LimitSpec.allowance(tokensPerDay, ResetPeriod.DAY))
        .limit(REQUESTS_PER_MINUTE, LimitSpec.rate(perMinute, Duration.ofMinutes(1)))
        .build();
  }

  /** Validating builder of {@link PlanCatalog}. Not thread-safe. */
  public static final class Builder {
    private ZoneId zone = ZoneOffset.UTC;
    private List<Integer> thresholds = DEFAULT_THRESHOLDS;
    private final Map<String, Plan> plans = new LinkedHashMap<>();

    private Builder() {}

    /** The zone in which allowance periods start; default UTC. */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * The usage thresholds in percent published to listeners; default 80, 90, 100. None disables
     * threshold events.
     */
    public Builder thresholds(int... percents) {
      List<Integer> list = new ArrayList<>();
      for (int p : percents) {
        list.add(p);
      }
      this.thresholds = list;
      return this;
    }

    /**
     * Adds a plan.
     *
     * @throws InvalidInputException if a plan with the same id was added
     */
    public Builder plan(Plan plan) {
      Objects.requireNonNull(plan, "plan");
      if (plans.putIfAbsent(plan.id(), plan) != null) {
        throw new InvalidInputException("plans", "plan '" + plan.id() + "' is added twice");
      }
      return this;
    }

    /**
     * Builds the catalog.
     *
     * @throws InvalidInputException if a threshold is out of range, the plans do not all name the
     *     same limits, or a limit name has two kinds in two plans
     */
    public PlanCatalog build() {
      return new PlanCatalog(zone, thresholds, plans);
    }
  }
}
