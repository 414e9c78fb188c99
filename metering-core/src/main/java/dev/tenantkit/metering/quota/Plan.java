package dev.tenantkit.metering.quota;

import dev.tenantkit.tenancy.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A plan: the named limits that apply to every tenant on it. Immutable and thread-safe; build with
 * {@link #builder(String)}. In a {@link PlanCatalog} every plan names the same limits.
 *
 * @param id the plan id, as in {@link dev.tenantkit.tenancy.Tenant#planId()}: {@code
 *     [a-z0-9_-]{1,64}}
 * @param limits the limits by name, {@code [a-z][a-z0-9_.]{0,63}}, in the order they were added
 */
public record Plan(String id, Map<String, LimitSpec> limits) {
  private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final Pattern LIMIT_NAME = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

  /**
   * Checks the components and copies the map.
   *
   * @throws InvalidInputException if the id or a limit name is invalid or a spec is null
   */
  public Plan {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidInputException(
          "plan", "a plan id is 1 to 64 characters of a-z, 0-9, '-', '_'");
    }
    Objects.requireNonNull(limits, "limits");
    Map<String, LimitSpec> copy = new LinkedHashMap<>();
    for (Map.Entry<String, LimitSpec> e : limits.entrySet()) {
      checkLimitName(e.getKey());
      if (e.getValue() == null) {
        throw new InvalidInputException("limits", "limit '" + e.getKey() + "' has no spec");
      }
      copy.put(e.getKey(), e.getValue());
    }
    limits = Collections.unmodifiableMap(copy);
  }

  /** A builder of a plan with this id and no limits yet. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** The limit with this name, or empty when the plan does not name it. */
  public Optional<LimitSpec> limit(String name) {
    return Optional.ofNullable(limits.get(name));
  }

  static void checkLimitName(String name) {
    if (name == null || !LIMIT_NAME.matcher(name).matches()) {
      throw new InvalidInputException(
          "limit", "a limit name is [a-z][a-z0-9_.]{0,63}, got '" + name + "'");
    }
  }

  /** Validating builder of {@link Plan}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private final Map<String, LimitSpec> limits = new LinkedHashMap<>();

    private Builder(String id) {
      this.id = id;
    }

    /**
     * Adds a limit.
     *
     * @throws InvalidInputException if the name is invalid or already added
     */
    public Builder limit(String name, LimitSpec spec) {
      checkLimitName(name);
      Objects.requireNonNull(spec, "spec");
      if (limits.putIfAbsent(name, spec) != null) {
        throw new InvalidInputException("limit", "limit '" + name + "' is added twice");
      }
      return this;
    }

    /**
     * Builds the plan.
     *
     * @throws InvalidInputException if the id is invalid
     */
    public Plan build() {
      return new Plan(id, limits);
    }
  }
}
