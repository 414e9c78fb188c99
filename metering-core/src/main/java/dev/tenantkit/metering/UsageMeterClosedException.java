package dev.tenantkit.metering;

/**
 * Thrown when an event is recorded on a {@link UsageMeter} that has been closed: the application is
 * shutting down. An {@link IllegalStateException}, as {@link UsageMeter} has always documented, but
 * of its own type so that an adapter can answer it (503, retry later) without mistaking any other
 * {@code IllegalStateException}, such as a bug, for a shutdown.
 */
public final class UsageMeterClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** With the message {@code the usage meter is closed}. */
  public UsageMeterClosedException() {
    super("the usage meter is closed");
  }
}
