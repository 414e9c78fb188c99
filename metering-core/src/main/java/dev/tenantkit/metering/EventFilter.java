package dev.tenantkit.metering;

import java.time.Instant;

/**
 * Which raw events to list or export; every field is optional.
 *
 * <p>A range that is open towards the future ("from this instant on") ends at {@link #OPEN_END},
 * best built with {@link #since(Instant)}. Do not end it at the current time: a cursor of {@link
 * UsageQueries#events} is bound to its filter, range included, so an end that moves with the clock
 * would make every next page's cursor invalid.
 *
 * @param meter only this meter
 * @param range only events whose timestamp is in this range
 * @param userId only this user
 * @param source only this source
 */
public record EventFilter(String meter, TimeRange range, String userId, String source) {
  /**
   * The end of a range without an upper bound: the start of the year 10000, later than any
   * timestamp an event can have. The same value on every call, so a cursor made with it stays valid
   * for the next page.
   */
  public static final Instant OPEN_END = Instant.parse("+10000-01-01T00:00:00Z");

  /** No filter. */
  public static EventFilter all() {
    return new EventFilter(null, null, null, null);
  }

  /**
   * The range from {@code from} on, without an upper bound: {@code [from, OPEN_END)}.
   *
   * @throws dev.tenantkit.tenancy.InvalidInputException if {@code from} is {@code null} or not
   *     before {@link #OPEN_END}
   */
  public static TimeRange since(Instant from) {
    return new TimeRange(from, OPEN_END);
  }
}
