package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.MeterDefinition;
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
 * duplicate (same payload under a used key) or conflict. Computes what validation left for the
 * write ({@link Checked#prepare}: generated keys, payload hashes), off the caller's thread for
 * buffered events. Keys repeated inside the batch are settled here, against the first occurrence,
 * so the store sees each key once. Thread-safe.
 */
final class BatchWriter {
  private final UsageStore store;
  private final EventValidator validator;
  private final InstantSource clock;
  private final Duration settle;
  private final MeteringMetrics metrics;
  private final GeneratedKeys keys;

  BatchWriter(
      UsageStore store,
      EventValidator validator,
      InstantSource clock,
      Duration settle,
      MeteringMetrics metrics,
      GeneratedKeys keys) {
    this.keys = keys;
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
    // Microseconds from here on: an event's timestamp is whole microseconds, so it is before the
    // instant exactly when it is before the instant rounded up to a microsecond.
    Instant oldestExact = validator.oldestStorable(now, settle);
    long oldest = EventClock.toMicros(oldestExact) + (oldestExact.getNano() % 1_000 == 0 ? 0 : 1);
    int size = batch.size();
    RecordOutcome[] outcomes = new RecordOutcome[size];
    // Only the caller's keys can repeat: a generated key is new by construction.
    Map<KeyRef, Integer> first = null;
    boolean repeats = false;
    int[] sent = new int[size];
    List<NewEvent> toStore = new ArrayList<>(size);
    GeneratedKeys.Block block = keys.reserve(size);
    for (int i = 0; i < size; i++) {
      Checked c = batch.get(i);
      c.prepare(block);
      // An event validated a while ago (it sat in the buffer) could otherwise land in an hour the
      // rollup job already closed.
      if (c.micros() < oldest) {
        outcomes[i] =
            RecordOutcome.rejected(
                RejectionReason.TOO_LATE, "the event waited too long to be stored");
        continue;
      }
      if (c.original().idempotencyKey() != null) {
        if (first == null) {
          first = new HashMap<>();
        }
        if (first.putIfAbsent(KeyRef.of(c.event()), i) != null) {
          repeats = true;
          continue;
        }
      }
      sent[toStore.size()] = i;
      toStore.add(new NewEvent(c.event(), c.payloadHash(), now));
    }
    List<AppendResult> results = toStore.isEmpty() ? List.of() : store.append(toStore);
    if (results.size() != toStore.size()) {
      throw new IllegalStateException("the store answered for a different number of events");
    }
    Map<KeyRef, String> effectiveHash = repeats ? new HashMap<>() : null;
    for (int j = 0; j < toStore.size(); j++) {
      int i = sent[j];
      Checked c = batch.get(i);
      AppendResult r = results.get(j);
      String hash = r.inserted() ? c.payloadHash() : r.storedHash();
      outcomes[i] = r.inserted() ? RecordOutcome.accepted() : compare(c, hash);
      if (repeats) {
        effectiveHash.put(KeyRef.of(c.event()), hash);
      }
    }
    if (repeats) {
      for (int i = 0; i < size; i++) {
        if (outcomes[i] == null) {
          Checked c = batch.get(i);
          outcomes[i] = compare(c, effectiveHash.get(KeyRef.of(c.event())));
        }
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
    // Batches are mostly runs of one meter (and tenant, if tenants are tagged): count a run at
    // once.
    boolean perTenant = metrics.perTenant();
    MeterDefinition runMeter = null;
    TenantId runTenant = null;
    long inRun = 0;
    for (int i = 0; i < outcomes.length; i++) {
      RecordOutcome o = outcomes[i];
      Checked c = batch.get(i);
      if (o.status() == RecordOutcome.Status.ACCEPTED) {
        TenantId tenant = perTenant ? c.original().tenantId() : null;
        if (c.meter() != runMeter || (perTenant && !tenant.equals(runTenant))) {
          if (inRun > 0) {
            metrics.recorded(runMeter.name(), runTenant, inRun);
          }
          runMeter = c.meter();
          runTenant = tenant;
          inRun = 0;
        }
        inRun++;
        continue;
      }
      switch (o.status()) {
        case DUPLICATE -> metrics.duplicate(c.meter().name(), c.original().tenantId());
        case REJECTED -> metrics.rejected(o.reason(), c.original().tenantId());
        case ACCEPTED -> throw new IllegalStateException("counted above");
        case QUEUED -> throw new IllegalStateException("a written event is never queued");
      }
    }
    if (inRun > 0) {
      metrics.recorded(runMeter.name(), runTenant, inRun);
    }
  }

  private record KeyRef(TenantId tenantId, String key) {
    static KeyRef of(UsageEvent e) {
      return new KeyRef(e.tenantId(), e.idempotencyKey());
    }
  }
}
