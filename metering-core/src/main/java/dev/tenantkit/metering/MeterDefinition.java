package dev.tenantkit.metering;

import dev.tenantkit.metering.internal.JsonPaths;
import dev.tenantkit.tenancy.InvalidInputException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A declared meter: what it counts, how its events aggregate, and which dimensions an event may
 * carry. Events for undeclared meters or with undeclared dimensions are rejected, never guessed.
 * Immutable; build with {@link #builder(String)}.
 *
 * @param name the meter's name, {@code [a-z][a-z0-9_.]{0,63}}
 * @param unit the unit of a quantity, for people: {@code calls}, {@code bytes}, {@code ms}
 * @param aggregation how events combine
 * @param dimensions the dimension keys an event may carry
 * @param integral whether quantities must be whole numbers
 * @param allowNegative whether quantities may be negative (a gauge that goes down, such as bytes
 *     stored after a delete)
 * @param distribution whether percentiles of the quantities are kept (a value meter such as request
 *     latency)
 * @param durability when recording returns
 * @param valuePath where an event ingested over HTTP ({@code dev.tenantkit.metering.ingest})
 *     carries its quantity, as a JSON path into the event's {@code data} such as {@code $.tokens};
 *     {@code null} for the default {@code data.quantity}. The subset of JSON path accepted is
 *     described in {@code docs/metering.md}: {@code $.a.b}, {@code $['a b']}, {@code $.items[0]}
 * @param dimensionPaths for ingested events, where in {@code data} each dimension is read from, by
 *     dimension name; each must be one of {@code dimensions}. When a meter has a value path or
 *     dimension paths, its events' {@code data} is the caller's own payload and only these paths
 *     are read from it
 */
public record MeterDefinition(
    String name,
    String unit,
    Aggregation aggregation,
    Set<String> dimensions,
    boolean integral,
    boolean allowNegative,
    boolean distribution,
    Durability durability,
    String valuePath,
    Map<String, String> dimensionPaths) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.]{0,63}");
  private static final Pattern DIMENSION = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  /** Checks the components. */
  public MeterDefinition {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidInputException("name", "a meter name is [a-z][a-z0-9_.]{0,63}");
    }
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(aggregation, "aggregation");
    Objects.requireNonNull(durability, "durability");
    dimensions = Set.copyOf(dimensions);
    if (dimensions.size() > 16) {
      throw new InvalidInputException("dimensions", "a meter has at most 16 dimensions");
    }
    for (String d : dimensions) {
      if (!DIMENSION.matcher(d).matches()) {
        throw new InvalidInputException("dimensions", "'" + d + "' is not [a-z][a-z0-9_]{0,31}");
      }
    }
    if (valuePath != null) {
      checkPath("valuePath", valuePath);
    }
    dimensionPaths = Map.copyOf(dimensionPaths);
    for (Map.Entry<String, String> p : dimensionPaths.entrySet()) {
      if (!dimensions.contains(p.getKey())) {
        throw new InvalidInputException(
            "dimensionPaths", "'" + p.getKey() + "' is not a dimension of meter '" + name + "'");
      }
      checkPath("dimensionPaths", p.getValue());
    }
  }

  /**
   * Whether this meter's events can be read as {@code as}, such as a billing charge that bills the
   * {@code MAX} or {@code WEIGHTED_SUM} of a {@code SUM} meter. Always for the declared aggregation
   * and for {@code COUNT}; otherwise only where the quantities mean what {@code as} needs:
   *
   * <ul>
   *   <li>{@code SUM} and {@code WEIGHTED_SUM} of amounts or increments: a {@code SUM} or {@code
   *       WEIGHTED_SUM} meter (not readings such as a {@code MAX} or {@code LATEST} meter's, whose
   *       sum means nothing);
   *   <li>{@code MAX}: a {@code SUM}, {@code MAX} or {@code LATEST} meter (the largest amount or
   *       reading);
   *   <li>{@code LATEST}: a {@code MAX} or {@code LATEST} meter (the last reading; the last
   *       increment of a sum means nothing);
   *   <li>{@code UNIQUE_COUNT}: only a {@code UNIQUE_COUNT} meter, the only one whose rollups keep
   *       the distinct users.
   * </ul>
   */
  public boolean readableAs(Aggregation as) {
    Objects.requireNonNull(as, "as");
    if (as == aggregation || as == Aggregation.COUNT) {
      return true;
    }
    return switch (as) {
      case SUM, WEIGHTED_SUM ->
          aggregation == Aggregation.SUM || aggregation == Aggregation.WEIGHTED_SUM;
      case MAX -> aggregation == Aggregation.SUM || aggregation == Aggregation.LATEST;
      case LATEST -> aggregation == Aggregation.MAX;
      case COUNT, UNIQUE_COUNT -> false;
    };
  }

  /** Whether ingested events are read through {@link #valuePath} or {@link #dimensionPaths}. */
  public boolean readsPaths() {
    return valuePath != null || !dimensionPaths.isEmpty();
  }

  private static void checkPath(String field, String path) {
    try {
      JsonPaths.compile(path);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(field, "'" + path + "': " + e.getMessage());
    }
  }

  /** A builder for a meter named {@code name}: SUM of whole, non-negative quantities, durable. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Validating builder of {@link MeterDefinition}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private String unit = "units";
    private Aggregation aggregation = Aggregation.SUM;
    private Set<String> dimensions = Set.of();
    private boolean integral = true;
    private boolean allowNegative;
    private boolean distribution;
    private Durability durability = Durability.DURABLE;
    private String valuePath;
    private final Map<String, String> dimensionPaths = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    /** The unit shown to people. */
    public Builder unit(String unit) {
      this.unit = unit;
      return this;
    }

    /** How events combine; default SUM. */
    public Builder aggregation(Aggregation aggregation) {
      this.aggregation = aggregation;
      return this;
    }

    /** The dimension keys an event may carry. */
    public Builder dimensions(String... keys) {
      return dimensions(Arrays.asList(keys));
    }

    /** The dimension keys an event may carry. */
    public Builder dimensions(Collection<String> keys) {
      this.dimensions = Set.copyOf(keys);
      return this;
    }

    /** Allows fractional quantities (default: whole numbers only). */
    public Builder decimal() {
      this.integral = false;
      return this;
    }

    /** Allows negative quantities (default: refused). */
    public Builder allowNegative() {
      this.allowNegative = true;
      return this;
    }

    /** Keeps percentiles of the quantities. */
    public Builder distribution() {
      this.distribution = true;
      return this;
    }

    /** When recording returns; default DURABLE. */
    public Builder durability(Durability durability) {
      this.durability = durability;
      return this;
    }

    /**
     * Where an event ingested over HTTP carries its quantity, as OpenMeter's {@code valueProperty}:
     * a JSON path into its {@code data}, such as {@code $.tokens}; default {@code data.quantity}.
     */
    public Builder valuePath(String path) {
      this.valuePath = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * Where an event ingested over HTTP carries the value of {@code dimension}: a JSON path into
     * its {@code data}, such as {@code $.model}; default {@code data.dimensions}.
     */
    public Builder dimensionPath(String dimension, String path) {
      dimensionPaths.put(
          Objects.requireNonNull(dimension, "dimension"), Objects.requireNonNull(path, "path"));
      return this;
    }

    /**
     * @throws InvalidInputException if a component breaks a rule, such as a path outside the
     *     supported subset or a path for an undeclared dimension
     */
    public MeterDefinition build() {
      return new MeterDefinition(
          name,
          unit,
          aggregation,
          dimensions,
          integral,
          allowNegative,
          distribution,
          durability,
          valuePath,
          dimensionPaths);
    }
  }
}
