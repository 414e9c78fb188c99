package dev.tenantkit.metering;

/**
 * Which raw events to list or export; every field is optional.
 *
 * @param meter only this meter
 * @param range only events whose timestamp is in this range
 * @param userId only this user
 * @param source only this source
 */
public record EventFilter(String meter, TimeRange range, String userId, String source) {
  /** No filter. */
  public static EventFilter all() {
    return new EventFilter(null, null, null, null);
  }
}
