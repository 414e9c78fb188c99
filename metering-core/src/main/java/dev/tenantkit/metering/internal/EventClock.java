package dev.tenantkit.metering.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.LongSupplier;

/**
 * The usage meter's clock read to the microsecond, for stamping events. Thread-safe.
 *
 * <p>{@link Instant#now()} costs a native call and an {@code Instant} on top of the system's clock
 * read, a third of what a buffered {@code record} costs. For the system clock this reads the
 * monotonic clock ({@link System#nanoTime()}, a plain intrinsic) instead and adds it to a reading
 * of the wall clock taken with it, retaken once a second. The kernel runs both clocks at the same
 * rate (time synchronisation slews both alike), so the sum follows the wall clock to the
 * microsecond; only a step of the wall clock (set by hand, or by a synchronisation daemon that
 * steps) shows up to a second late. Any other {@link InstantSource}, such as a test's fake clock,
 * is read on every call.
 */
final class EventClock {
  /** How long a wall-clock reading is used before it is retaken. */
  static final long RECALIBRATE_NANOS = 1_000_000_000L;

  private final InstantSource wall;
  private final LongSupplier nanoTime;
  private final boolean calibrated;

  /**
   * The last wall-clock reading with its monotonic reading. Immutable and published through a plain
   * field: a thread that sees a stale one stamps from that one, which is as right.
   */
  private Calibration calibration;

  private EventClock(InstantSource wall, LongSupplier nanoTime, boolean calibrated) {
    this.wall = wall;
    this.nanoTime = nanoTime;
    this.calibrated = calibrated;
    if (calibrated) {
      this.calibration = calibrate();
    }
  }

  /** The usage meter's clock; calibrated against the monotonic clock if it is the system clock. */
  static EventClock of(InstantSource clock) {
    boolean system =
        clock.equals(InstantSource.system())
            || (clock instanceof Clock c && c.equals(Clock.system(c.getZone())));
    return new EventClock(clock, System::nanoTime, system);
  }

  /** A clock that adds {@code nanoTime} to readings of {@code wall}; for tests. */
  static EventClock calibrated(InstantSource wall, LongSupplier nanoTime) {
    return new EventClock(wall, nanoTime, true);
  }

  /** Whether this reads the monotonic clock against wall-clock readings. */
  boolean calibrated() {
    return calibrated;
  }

  /** The clock's instant, at full precision. */
  Instant instant() {
    return wall.instant();
  }

  /** Microseconds since the epoch, now. */
  long micros() {
    if (!calibrated) {
      return toMicros(wall.instant());
    }
    long now = nanoTime.getAsLong();
    Calibration c = calibration;
    long elapsed = now - c.nanoTime;
    if (elapsed < 0 || elapsed >= RECALIBRATE_NANOS) {
      c = calibrate();
      calibration = c;
      elapsed = 0;
    }
    return Math.floorDiv(c.epochNanos + elapsed, 1_000L);
  }

  private Calibration calibrate() {
    Instant t = wall.instant();
    long n = nanoTime.getAsLong();
    return new Calibration(t.getEpochSecond() * 1_000_000_000L + t.getNano(), n);
  }

  /** {@code t} in microseconds since the epoch, cut toward the past. */
  static long toMicros(Instant t) {
    return Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1_000;
  }

  /** The instant {@code micros} microseconds after the epoch. */
  static Instant ofMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  /** A wall-clock reading in nanoseconds since the epoch and the monotonic clock at that moment. */
  private record Calibration(long epochNanos, long nanoTime) {}
}
