package dev.tenantkit.metering.spi;

/**
 * What {@link UsageStore#append} did with one event.
 *
 * @param inserted whether the event was stored (its key was new for the tenant)
 * @param storedHash when not inserted, the payload hash already kept under the key; else {@code
 *     null}
 */
public record AppendResult(boolean inserted, String storedHash) {
  private static final AppendResult INSERTED = new AppendResult(true, null);

  /** Checks that a hash is given exactly when the key was taken. */
  public AppendResult {
    if (inserted == (storedHash != null)) {
      throw new IllegalArgumentException("storedHash is given exactly when not inserted");
    }
  }

  /** The event was stored. */
  public static AppendResult stored() {
    return INSERTED;
  }

  /** The key was taken already, under {@code storedHash}. */
  public static AppendResult keyTaken(String storedHash) {
    return new AppendResult(false, storedHash);
  }
}
