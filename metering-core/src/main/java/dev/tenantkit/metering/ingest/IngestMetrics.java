package dev.tenantkit.metering.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counter {@value #EVENTS} of ingested events, tagged {@code status} (accepted, duplicate,
 * conflict, rejected) and {@code reason} (a rejection code, {@code none} otherwise), and the
 * counter {@value #REFUSED} of requests refused as a whole, tagged {@code code} (the problem's
 * code: invalid-input, payload-too-large, unsupported-media-type, missing-scope and so on): all
 * bounded sets, since codes are Tenantkit's own. No tenant tag: the metering meters count per
 * tenant already. Nothing without a registry. Thread-safe.
 */
final class IngestMetrics {
  static final String EVENTS = "tenantkit.usage.ingest.events";
  static final String REFUSED = "tenantkit.usage.ingest.requests.refused";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    if (registry != null) {
      for (EventResult.Status s : EventResult.Status.values()) {
        if (s == EventResult.Status.ACCEPTED || s == EventResult.Status.DUPLICATE) {
          counter(s.code(), "none");
        }
      }
    }
  }

  void count(EventResult r) {
    if (registry != null) {
      counter(r.status().code(), r.reason() == null ? "none" : r.reason()).increment();
    }
  }

  void refused(String code) {
    if (registry != null) {
      counters
          .computeIfAbsent(
              "refused/" + code,
              k ->
                  Counter.builder(REFUSED)
                      .description("Usage ingestion requests refused as a whole, by problem code")
                      .tag("code", code)
                      .register(registry))
          .increment();
    }
  }

  private Counter counter(String status, String reason) {
    return counters.computeIfAbsent(
        status + "/" + reason,
        k ->
            Counter.builder(EVENTS)
                .description("Usage events ingested over HTTP, by outcome")
                .tag("status", status)
                .tag("reason", reason)
                .register(registry));
  }
}
