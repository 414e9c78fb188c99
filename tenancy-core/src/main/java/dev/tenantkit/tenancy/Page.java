package dev.tenantkit.tenancy;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing with cursor pagination. A cursor is opaque to callers: pass {@link
 * #nextCursor()} back to get the next page. Immutable.
 *
 * @param items the items of this page, in a stable order
 * @param nextCursor the cursor of the next page, or {@code null} when this is the last
 * @param <T> the item type
 */
public record Page<T>(List<T> items, String nextCursor) {

  /** Copies {@code items}. */
  public Page {
    items = List.copyOf(items);
  }

  /** The cursor of the next page, empty on the last page. */
  public Optional<String> next() {
    return Optional.ofNullable(nextCursor);
  }
}
