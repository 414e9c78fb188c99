package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.RejectionReason;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.spi.AppendResult;
import dev.tenantkit.metering.spi.NewEvent;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a batch of valid events in one store transaction and decides each event's outcome: stored,
 * duplicate (same payload under a used key) or conflict. Keys repeated inside the batch are settled
 * here, against the first occurrence, so the store sees each key once. Thread-safe.
 */
final class BatchWriter {
  private final UsageStore store;
  private final EventValidator validator;
  private final InstantSource clock;
  private final Duration settle;
  private final MeteringMetrics metrics;

  BatchWriter(
      UsageStore store,
      EventValidator validator,
      InstantSource clock,
      Duration settle,
      MeteringMetrics metrics) {
    this.store = store;
    this.validator = validator;
    this.clock = clock;
    this.settle = settle;
    this.metrics = metrics;
  }

  /**
   * @param batch events that passed validation
   * @return one outcome per event
   * @throws RuntimeException the store's failure; then nothing of the batch was stored
   */
  List<RecordOutcome> write(List<Checked> batch) {
    Instant now = clock.instant();
    RecordOutcome[] outcomes = new RecordOutcome[batch.size()];
    Map<KeyRef, Integer> first = new HashMap<>();
    List<Integer> sent = new ArrayList<>();
    List<NewEvent> toStore = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Checked c = batch.get(i);
      // An event validated a while ago (it sat in the buffer) could otherwise land in an hour the
      // rollup job already closed.
      if (validator.tooLateToStore(c.event(), now, settle)) {
        outcomes[i] =
            RecordOutcome.rejected(
                RejectionReason.TOO_LATE, "the event waited too long to be stored");
        continue;
      }
      if (first.putIfAbsent(KeyRef.of(c.event()), i) == null) {
        sent.add(i);
        toStore.add(new NewEvent(c.event(), c.payloadHash(), now));
      }
    }
    List<AppendResult> results = toStore.isEmpty() ? List.of() : store.append(toStore);
    if (results.size() != toStore.size()) {
      throw new IllegalStateException("the store answered for a different number of events");
    }
    Map<KeyRef, String> effectiveHash = new HashMap<>();
    for (int j = 0; j < sent.size(); j++) {
      int i = sent.get(j);
      Checked c = batch.get(i);
      AppendResult r = results.get(j);
      if (r.inserted()) {
        outcomes[i] = RecordOutcome.accepted();
        effectiveHash.put(KeyRef.of(c.event()), c.payloadHash());
      } else {
        outcomes[i] = compare(c, r.storedHash());
        effectiveHash.put(KeyRef.of(c.event()), r.storedHash());
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      if (outcomes[i] == null) {
        Checked c = batch.get(i);
        outcomes[i] = compare(c, effectiveHash.get(KeyRef.of(c.event())));
      }
    }
    count(batch, outcomes);
    return List.of(outcomes);
  }

  private static RecordOutcome compare(Checked c, String storedHash) {
    if (c.payloadHash().equals(storedHash)) {
      return RecordOutcome.duplicate();
    }
    return RecordOutcome.rejected(
        RejectionReason.IDEMPOTENCY_CONFLICT,
        "idempotency key '"
            + c.event().idempotencyKey()
            + "' was used before for a different event");
  }

  private void count(List<Checked> batch, RecordOutcome[] outcomes) {
    Map<String, Long> stored = new HashMap<>();
    for (int i = 0; i < outcomes.length; i++) {
      String meter = batch.get(i).event().meter();
      switch (outcomes[i].status()) {
        case ACCEPTED -> stored.merge(meter, 1L, Long::sum);
        case DUPLICATE -> metrics.duplicate(meter);
        case REJECTED -> metrics.rejected(outcomes[i].reason());
        case QUEUED -> throw new IllegalStateException("a written event is never queued");
      }
    }
    stored.forEach(metrics::recorded);
  }

  private record KeyRef(TenantId tenantId, String key) {
    static KeyRef of(UsageEvent e) {
      return new KeyRef(e.tenantId(), e.idempotencyKey());
    }
  }
}
