package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.UsageEvent;

/**
 * An event after validation: either normalised and hashed, ready to store, or refused.
 *
 * @param event the normalised event (key and timestamp set), or the original when refused
 * @param meter its meter, or {@code null} when refused
 * @param payloadHash the canonical payload hash, or {@code null} when refused
 * @param rejection the refusal, or {@code null}
 */
record Checked(
    UsageEvent event, MeterDefinition meter, String payloadHash, RecordOutcome rejection) {

  static Checked refused(UsageEvent event, RecordOutcome rejection) {
    return new Checked(event, null, null, rejection);
  }

  boolean refused() {
    return rejection != null;
  }
}
