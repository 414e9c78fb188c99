package dev.tenantkit.billing.spi;

import java.util.Objects;

/**
 * A stored value with its row version, for a compare-and-set update: the store changes the row only
 * if its version is still {@code version}, and the change makes it {@code version + 1}. Immutable.
 *
 * @param value the value
 * @param version the row version, 1 when inserted
 * @param <T> the value's type
 */
public record Versioned<T>(T value, long version) {
  /** Checks the components. */
  public Versioned {
    Objects.requireNonNull(value, "value");
    if (version < 1) {
      throw new IllegalArgumentException("a row version is 1 or more");
    }
  }
}
