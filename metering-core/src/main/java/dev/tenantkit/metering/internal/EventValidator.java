package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.RejectionReason;
import dev.tenantkit.metering.UsageEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks events against their meter, the quantity in its canonical form (without trailing zeros),
 * and cuts the timestamp to the microsecond. Runs on the caller's thread, so it does only what
 * decides the outcome; the stored quantity, the key and the payload hash wait for the write ({@link
 * Checked#prepare}). Stateless apart from its settings; thread-safe.
 */
final class EventValidator {
  static final int MAX_DIMENSION_VALUE = 256;
  static final int MAX_PROPERTIES = 32;
  static final int MAX_PROPERTIES_BYTES = 8 * 1024;
  static final int MAX_KEY = 128;
  static final int MAX_TEXT = 256;

  private final Map<String, Declared> meters = new HashMap<>();
  private final Duration maxLateness;
  private final Duration futureSkew;
  private final boolean stampedAlwaysInTime;

  EventValidator(MeterCatalog catalog, Duration maxLateness, Duration futureSkew) {
    // Hash sets rather than the catalog's immutable ones: their lookups divide, which shows in a
    // call that has a budget of about a hundred nanoseconds. The catalog never changes.
    for (MeterDefinition m : catalog.all()) {
      meters.put(m.name(), new Declared(m, new HashSet<>(m.dimensions())));
    }
    this.maxLateness = maxLateness;
    this.futureSkew = futureSkew;
    // A timestamp the usage meter stamps is "now" cut to the microsecond: never in the future, and
    // never
    // too late unless the lateness allowed is under a microsecond.
    this.stampedAlwaysInTime = maxLateness.compareTo(Duration.ofNanos(1_000)) >= 0;
  }

  /**
   * @param nowMicros the usage meter's clock in microseconds since the epoch: an event without a
   *     timestamp is stamped with it
   * @param now the same reading at full precision, which the window of an event's own timestamp is
   *     checked against; {@code null} if the caller read only microseconds, which it may do for an
   *     event without a timestamp
   */
  Checked check(UsageEvent event, long nowMicros, Instant now) {
    Declared declared = event.meter() == null ? null : meters.get(event.meter());
    if (declared == null) {
      return refuse(event, RejectionReason.UNKNOWN_METER, "no meter named '" + event.meter() + "'");
    }
    MeterDefinition meter = declared.meter();
    // The bounds that need no arithmetic first: normalising an unbounded value can take minutes.
    String problem = Quantities.boundProblem(event.quantity());
    BigDecimal quantity = problem == null ? Quantities.normalize(event.quantity()) : null;
    if (problem == null) {
      problem = quantityProblem(meter, quantity);
    }
    if (problem != null) {
      return refuse(event, RejectionReason.INVALID_QUANTITY, problem);
    }
    for (Map.Entry<String, String> d : event.dimensions().entrySet()) {
      if (!declared.dimensions().contains(d.getKey())) {
        return refuse(
            event,
            RejectionReason.UNDECLARED_DIMENSION,
            "meter '" + meter.name() + "' declares no dimension '" + d.getKey() + "'");
      }
      if (d.getValue().length() > MAX_DIMENSION_VALUE) {
        return refuse(
            event,
            RejectionReason.OVERSIZED,
            "dimension '" + d.getKey() + "' is longer than " + MAX_DIMENSION_VALUE + " characters");
      }
      if (!wellFormed(d.getValue())) {
        return refuse(
            event, RejectionReason.MALFORMED, notUnicode("dimension '" + d.getKey() + "'"));
      }
    }
    if (event.properties().size() > MAX_PROPERTIES) {
      return refuse(
          event, RejectionReason.OVERSIZED, "more than " + MAX_PROPERTIES + " properties");
    }
    long bytes = 0;
    for (Map.Entry<String, String> p : event.properties().entrySet()) {
      if (!wellFormed(p.getKey()) || !wellFormed(p.getValue())) {
        return refuse(event, RejectionReason.MALFORMED, notUnicode("a property"));
      }
      bytes += utf8Length(p.getKey()) + utf8Length(p.getValue());
    }
    if (bytes > MAX_PROPERTIES_BYTES) {
      return refuse(event, RejectionReason.OVERSIZED, "properties are larger than 8 KiB");
    }
    String key = event.idempotencyKey();
    if (key != null) {
      if (key.length() > MAX_KEY) {
        return refuse(
            event, RejectionReason.OVERSIZED, "idempotency key is longer than 128 characters");
      }
      if (key.isEmpty() || !printableAscii(key)) {
        return refuse(
            event,
            RejectionReason.MALFORMED,
            "idempotency key must be 1 to 128 printable ASCII characters");
      }
    }
    RecordOutcome textProblem = textProblem("user id", event.userId());
    if (textProblem == null) {
      textProblem = textProblem("source", event.source());
    }
    if (textProblem != null) {
      return Checked.refused(event, textProblem);
    }
    if (event.timestamp() == null && stampedAlwaysInTime) {
      return Checked.valid(event, meter, nowMicros);
    }
    if (now == null) {
      now = EventClock.ofMicros(nowMicros);
    }
    Instant timestamp =
        event.timestamp() == null
            ? EventClock.ofMicros(nowMicros)
            : truncatedToMicros(event.timestamp());
    if (timestamp.isBefore(now.minus(maxLateness))) {
      return refuse(
          event,
          RejectionReason.TOO_LATE,
          "events older than " + maxLateness + " are not accepted; timestamp " + timestamp);
    }
    if (timestamp.isAfter(now.plus(futureSkew))) {
      return refuse(
          event,
          RejectionReason.IN_FUTURE,
          "timestamp " + timestamp + " is more than " + futureSkew + " in the future");
    }
    return Checked.valid(event, meter, EventClock.toMicros(timestamp));
  }

  /** The instant cut to the microsecond; {@code truncatedTo(MICROS)} without its divisions. */
  private static Instant truncatedToMicros(Instant t) {
    int below = t.getNano() % 1_000;
    return below == 0 ? t : Instant.ofEpochSecond(t.getEpochSecond(), t.getNano() - below);
  }

  /**
   * The earliest timestamp an event checked earlier may have to be stored at {@code now}: an older
   * one could land in an hour the rollup job already closed.
   */
  Instant oldestStorable(Instant now, Duration settle) {
    return now.minus(maxLateness).minus(settle);
  }

  private static String quantityProblem(MeterDefinition meter, BigDecimal q) {
    if (q.abs().compareTo(Quantities.MAX_ABS) > 0) {
      return "quantity is larger than 10^18 in absolute value";
    }
    if (q.scale() > Quantities.MAX_SCALE) {
      return "quantity has more than " + Quantities.MAX_SCALE + " decimal places";
    }
    if (q.signum() < 0 && !meter.allowNegative()) {
      return "meter '" + meter.name() + "' does not accept negative quantities";
    }
    if (q.scale() > 0 && meter.integral()) {
      return "meter '" + meter.name() + "' counts whole numbers only";
    }
    return null;
  }

  private static RecordOutcome textProblem(String what, String value) {
    if (value == null) {
      return null;
    }
    if (value.length() > MAX_TEXT) {
      return RecordOutcome.rejected(
          RejectionReason.OVERSIZED, what + " is longer than " + MAX_TEXT + " characters");
    }
    if (value.isEmpty() || value.chars().anyMatch(Character::isISOControl)) {
      return RecordOutcome.rejected(
          RejectionReason.MALFORMED, what + " must be non-empty without control characters");
    }
    if (!wellFormed(value)) {
      return RecordOutcome.rejected(RejectionReason.MALFORMED, notUnicode(what));
    }
    return null;
  }

  /**
   * Whether every surrogate in {@code s} is paired. A lone one (a JSON {@code \ud800} escape) is
   * not a character: PostgreSQL would store it as {@code ?} and H2 as is, so the two would differ.
   */
  static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static String notUnicode(String what) {
    return what + " is not valid Unicode (an unpaired surrogate)";
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  private static long utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private record Declared(MeterDefinition meter, Set<String> dimensions) {}

  private static Checked refuse(UsageEvent event, RejectionReason reason, String detail) {
    return Checked.refused(event, RecordOutcome.rejected(reason, detail));
  }
}
