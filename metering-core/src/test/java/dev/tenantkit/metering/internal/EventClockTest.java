package dev.tenantkit.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventClockTest {
  private static final Instant T = Instant.parse("2026-11-23T10:00:00.123456789Z");
  private static final long T_MICROS = EventClock.toMicros(T);

  private final FakeClock wall = FakeClock.at(T);
  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

  @Test
  void theSystemClockIsCalibratedAndAnyOtherIsReadEachTime() {
    assertThat(EventClock.of(InstantSource.system()).calibrated()).isTrue();
    assertThat(EventClock.of(Clock.systemUTC()).calibrated()).isTrue();
    assertThat(EventClock.of(Clock.systemDefaultZone()).calibrated()).isTrue();
    assertThat(EventClock.of(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1))).calibrated())
        .isFalse();
    assertThat(EventClock.of(wall).calibrated()).isFalse();
    assertThat(EventClock.of(Clock.fixed(T, Clock.systemUTC().getZone())).calibrated()).isFalse();
  }

  @Test
  void anotherClockIsReadOnEveryCallAndCutToTheMicrosecond() {
    EventClock clock = EventClock.of(wall);
    assertThat(clock.micros()).isEqualTo(1_795_428_000_123_456L);
    wall.advance(Duration.ofNanos(1_999));
    assertThat(clock.micros()).isEqualTo(1_795_428_000_123_458L);
    assertThat(clock.instant()).isEqualTo(T.plusNanos(1_999));
  }

  @Test
  void theCalibratedClockAddsTheMonotonicClockToTheWallReading() {
    EventClock clock = EventClock.calibrated(wall, nanos::get);
    assertThat(clock.micros()).isEqualTo(T_MICROS);
    nanos.addAndGet(543);
    // 123456789 + 543 nanoseconds: still microsecond 123457.
    assertThat(clock.micros()).isEqualTo(T_MICROS + 1);
    nanos.addAndGet(250_000_000L);
    assertThat(clock.micros()).isEqualTo(T_MICROS + 250_001);
  }

  @Test
  void aStepOfTheWallClockIsPickedUpOnceTheReadingIsASecondOld() {
    EventClock clock = EventClock.calibrated(wall, nanos::get);
    wall.advance(Duration.ofHours(1));
    nanos.addAndGet(EventClock.RECALIBRATE_NANOS - 1_000);
    assertThat(clock.micros()).isEqualTo(T_MICROS + 999_999);

    nanos.addAndGet(1_000);
    assertThat(clock.micros()).isEqualTo(EventClock.toMicros(T.plus(Duration.ofHours(1))));
    nanos.addAndGet(10_000);
    assertThat(clock.micros()).isEqualTo(EventClock.toMicros(T.plus(Duration.ofHours(1))) + 10);
  }

  @Test
  void aMonotonicReadingBeforeTheCalibrationTakesANewOne() {
    EventClock clock = EventClock.calibrated(wall, nanos::get);
    wall.advance(Duration.ofSeconds(3));
    nanos.addAndGet(-1);
    assertThat(clock.micros()).isEqualTo(EventClock.toMicros(T.plusSeconds(3)));
  }

  @Test
  void microsecondsConvertBothWaysAroundTheEpoch() {
    assertThat(EventClock.toMicros(Instant.parse("1969-12-31T23:59:59.999999500Z"))).isEqualTo(-1);
    assertThat(EventClock.ofMicros(-1)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
    assertThat(EventClock.ofMicros(T_MICROS))
        .isEqualTo(Instant.parse("2026-11-23T10:00:00.123456Z"));
  }
}
