package dev.tenantkit.metering;

import dev.tenantkit.tenancy.InvalidInputException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The meters a host declared. Immutable and thread-safe. */
public final class MeterCatalog {
  private final Map<String, MeterDefinition> meters;

  private MeterCatalog(Map<String, MeterDefinition> meters) {
    this.meters = Map.copyOf(meters);
  }

  /** A catalog of {@link Meters#BUILT_INS}. */
  public static MeterCatalog builtIns() {
    return builder().addAll(Meters.BUILT_INS).build();
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The meter with this name. */
  public Optional<MeterDefinition> find(String name) {
    return Optional.ofNullable(name == null ? null : meters.get(name));
  }

  /** All meters. */
  public Collection<MeterDefinition> all() {
    return meters.values();
  }

  /** Builder of {@link MeterCatalog}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, MeterDefinition> meters = new LinkedHashMap<>();

    private Builder() {}

    /**
     * @throws InvalidInputException if a meter of that name was added already
     */
    public Builder add(MeterDefinition meter) {
      if (meters.putIfAbsent(meter.name(), meter) != null) {
        throw new InvalidInputException("meter", "meter '" + meter.name() + "' is declared twice");
      }
      return this;
    }

    /** Adds each meter. */
    public Builder addAll(Collection<MeterDefinition> all) {
      all.forEach(this::add);
      return this;
    }

    /** Builds the catalog. */
    public MeterCatalog build() {
      return new MeterCatalog(meters);
    }
  }
}
