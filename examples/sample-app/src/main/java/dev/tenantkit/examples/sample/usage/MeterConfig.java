package dev.tenantkit.examples.sample.usage;

import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Meters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The app's meters: Tenantkit's built-in ones and {@code llm_tokens}, which services outside the
 * JVM report over {@code POST /api/events} as CloudEvents whose {@code data} is their own payload,
 * such as {@code {"tokens": 812, "model": "small"}}: the meter reads its quantity from {@code
 * $.tokens} and its dimension {@code model} from {@code $.model}. Tenantkit's auto-configuration
 * uses this catalog for metering.
 */
@Configuration(proxyBeanMethods = false)
class MeterConfig {
  /** Model tokens reported by other services over HTTP. */
  static final MeterDefinition LLM_TOKENS =
      MeterDefinition.builder("llm_tokens")
          .unit("tokens")
          .dimensions("model")
          .valuePath("$.tokens")
          .dimensionPath("model", "$.model")
          .build();

  @Bean
  MeterCatalog meterCatalog() {
    return MeterCatalog.builder().addAll(Meters.BUILT_INS).add(LLM_TOKENS).build();
  }
}
