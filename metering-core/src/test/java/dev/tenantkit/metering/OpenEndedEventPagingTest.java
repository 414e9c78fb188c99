package dev.tenantkit.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.testkit.TestMeters;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Paging raw events with a range open towards the future ({@link EventFilter#since}) while the
 * clock runs and new events arrive: every page's cursor is accepted for the next, and still refused
 * for another filter or tenant.
 */
class OpenEndedEventPagingTest {
  private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");

  private final FakeClock clock = FakeClock.at(START);
  private final Metering metering =
      Metering.builder()
          .store(InMemoryUsageStore.create())
          .catalog(TestMeters.catalog())
          .clock(clock)
          .build();

  @AfterEach
  void close() {
    metering.close();
  }

  private long record(TenantId tenant) {
    clock.advance(Duration.ofSeconds(1));
    metering.usageMeter().record(UsageEvent.builder(tenant, "tokens").quantity(1).build());
    return metering.queries().events(tenant, EventFilter.all(), null, 1).items().get(0).id();
  }

  @Test
  void anOpenEndedRangePagesWhileTheClockRunsAndEventsArrive() {
    List<Long> before = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      before.add(0, record(ACME));
      record(GLOBEX);
    }
    EventFilter filter = new EventFilter("tokens", EventFilter.since(START), null, null);
    List<Long> listed = new ArrayList<>();
    String cursor = null;
    do {
      Page<RecordedEvent> page = metering.queries().events(ACME, filter, cursor, 2);
      page.items().forEach(e -> listed.add(e.id()));
      cursor = page.nextCursor();
      // Time passes and more events arrive between pages; neither breaks the cursor.
      record(ACME);
    } while (cursor != null);
    assertThat(listed).containsExactlyElementsOf(before);
  }

  @Test
  void theCursorIsStillBoundToTheFilterAndTheTenant() {
    for (int i = 0; i < 3; i++) {
      record(ACME);
    }
    EventFilter open = new EventFilter(null, EventFilter.since(START), null, null);
    String cursor = metering.queries().events(ACME, open, null, 1).nextCursor();
    assertThat(cursor).isNotNull();
    assertThat(metering.queries().events(ACME, open, cursor, 1).items()).hasSize(1);

    for (EventFilter other :
        List.of(
            EventFilter.all(),
            new EventFilter(null, EventFilter.since(START.plusSeconds(1)), null, null),
            new EventFilter(null, new TimeRange(START, clock.instant().plusSeconds(1)), null, null),
            new EventFilter("tokens", EventFilter.since(START), null, null))) {
      assertThatThrownBy(() -> metering.queries().events(ACME, other, cursor, 1))
          .as(String.valueOf(other))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
    }
    assertThatThrownBy(() -> metering.queries().events(GLOBEX, open, cursor, 1))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void anOpenEndedRangeNeedsAStartBeforeTheOpenEnd() {
    assertThatThrownBy(() -> EventFilter.since(null)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> EventFilter.since(EventFilter.OPEN_END))
        .isInstanceOf(InvalidInputException.class);
    assertThat(EventFilter.since(START).contains(Instant.parse("9999-12-31T23:59:59Z"))).isTrue();
  }
}
