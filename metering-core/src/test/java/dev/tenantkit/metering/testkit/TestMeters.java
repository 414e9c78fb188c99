package dev.tenantkit.metering.testkit;

import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.Durability;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import java.util.List;

/** A catalog with one meter of every aggregation, for tests. */
public final class TestMeters {
  /** COUNT, dimensions endpoint and status. */
  public static final MeterDefinition CALLS =
      MeterDefinition.builder("calls")
          .aggregation(Aggregation.COUNT)
          .dimensions("endpoint", "status")
          .build();

  /** SUM of whole numbers, dimension model. */
  public static final MeterDefinition TOKENS =
      MeterDefinition.builder("tokens").dimensions("model").build();

  /** MAX of signed decimals, dimension region. */
  public static final MeterDefinition PEAK =
      MeterDefinition.builder("peak")
          .aggregation(Aggregation.MAX)
          .decimal()
          .allowNegative()
          .dimensions("region")
          .build();

  /** UNIQUE_COUNT of users, dimension plan. */
  public static final MeterDefinition USERS =
      MeterDefinition.builder("active_users")
          .aggregation(Aggregation.UNIQUE_COUNT)
          .dimensions("plan")
          .build();

  /** LATEST of signed decimals. */
  public static final MeterDefinition GAUGE =
      MeterDefinition.builder("gauge")
          .aggregation(Aggregation.LATEST)
          .decimal()
          .allowNegative()
          .build();

  /** MAX with percentiles, dimension endpoint. */
  public static final MeterDefinition LATENCY =
      MeterDefinition.builder("latency")
          .unit("ms")
          .aggregation(Aggregation.MAX)
          .decimal()
          .distribution()
          .dimensions("endpoint")
          .build();

  /** A buffered COUNT. */
  public static final MeterDefinition CLICKS =
      MeterDefinition.builder("clicks")
          .aggregation(Aggregation.COUNT)
          .durability(Durability.BUFFERED)
          .dimensions("button")
          .build();

  /**
   * WEIGHTED_SUM of signed decimal increments (GB stored), dimension region. Not in {@link #ALL}:
   * its value needs raw events, which the random rollup and retention tests delete.
   */
  public static final MeterDefinition STORED =
      MeterDefinition.builder("stored")
          .unit("GB")
          .aggregation(Aggregation.WEIGHTED_SUM)
          .decimal()
          .allowNegative()
          .dimensions("region")
          .build();

  /** All of them. */
  public static final List<MeterDefinition> ALL =
      List.of(CALLS, TOKENS, PEAK, USERS, GAUGE, LATENCY, CLICKS);

  private TestMeters() {}

  /** A catalog of {@link #ALL} and {@link #STORED}. */
  public static MeterCatalog catalog() {
    return MeterCatalog.builder().addAll(ALL).add(STORED).build();
  }
}
