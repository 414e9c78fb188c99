package dev.tenantkit.examples.sample.usage;

import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Meters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The app's meters: Tenantkit's built-in ones, {@code files} (the number of files a tenant holds,
 * recorded by the files API after each upload and delete) and {@code llm_tokens}, which services
 * outside the JVM report over {@code POST /api/events} as CloudEvents whose {@code data} is their
 * own payload, such as {@code {"tokens": 812, "model": "small"}}: the meter reads its quantity from
 * {@code $.tokens} and its dimension {@code model} from {@code $.model}. Tenantkit's
 * auto-configuration uses this catalog for metering.
 */
@Configuration(proxyBeanMethods = false)
public class MeterConfig {
  /**
   * The number of files a tenant holds, a level ({@link Aggregation#LATEST}): the default Starter
   * and Professional plans bill the period's peak of it above their files limit.
   */
  public static final MeterDefinition FILES =
      MeterDefinition.builder("files").unit("files").aggregation(Aggregation.LATEST).build();

  /** Model tokens reported by other services over HTTP. */
  static final MeterDefinition LLM_TOKENS =
      MeterDefinition.builder("llm_tokens")
          .unit("tokens")
          .dimensions("model")
          .valuePath("$.tokens")
          .dimensionPath("model", "$.model")
          .build();

  MeterConfig() {}

  @Bean
  MeterCatalog meterCatalog() {
    return MeterCatalog.builder().addAll(Meters.BUILT_INS).add(FILES).add(LLM_TOKENS).build();
  }
}
