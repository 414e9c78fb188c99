package dev.tenantkit.billing.run;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The billing runs' meters, or nothing without a registry. Thread-safe. */
final class RunMeters {
  static final String INVOICES = "tenantkit.billing.run.invoices";
  static final String RUNS = "tenantkit.billing.run";
  static final String FINALIZED = "tenantkit.billing.run.finalized";

  private final MeterRegistry registry;

  RunMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void invoice(String outcome) {
    if (registry != null) {
      Counter.builder(INVOICES)
          .description(
              "Invoices of billing runs by outcome: created, existing (found under its key), failed")
          .tag("outcome", outcome)
          .register(registry)
          .increment();
    }
  }

  void finalized() {
    if (registry != null) {
      Counter.builder(FINALIZED)
          .description("Run drafts finalized after their grace period")
          .register(registry)
          .increment();
    }
  }

  void run(Duration took) {
    if (registry != null) {
      Timer.builder(RUNS).description("Billing runs").register(registry).record(took);
    }
  }
}
