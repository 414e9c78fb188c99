package dev.tenantkit.examples.sample;

import dev.tenantkit.tenancy.testkit.FakeClock;
import org.springframework.context.annotation.Bean;

/**
 * Adds a clock that stands still until a test moves it: name it in {@code @SpringBootTest(classes =
 * ...)}. Deliberately not a {@code @Configuration}, so that component scanning in other tests that
 * start the app never picks it up.
 */
class StillClock {
  @Bean
  FakeClock fakeClock() {
    return FakeClock.create();
  }
}
