package dev.tenantkit.metering;

import dev.tenantkit.tenancy.InvalidInputException;
import java.util.Arrays;
import java.util.Collection;
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
 */
public record MeterDefinition(
    String name,
    String unit,
    Aggregation aggregation,
    Set<String> dimensions,
    boolean integral,
    boolean allowNegative,
    boolean distribution,
    Durability durability) {

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
     * @throws InvalidInputException if a component breaks a rule
     */
    public MeterDefinition build() {
      return new MeterDefinition(
          name, unit, aggregation, dimensions, integral, allowNegative, distribution, durability);
    }
  }
}
