package dev.tenantkit.metering;

import dev.tenantkit.tenancy.TenantkitException;

/** {@link UsageMeter#record} refused an event; nothing was stored. */
public final class UsageRejectedException extends TenantkitException {
  private static final long serialVersionUID = 1L;

  private final RejectionReason reason;

  /**
   * @param reason why
   * @param detail what was wrong
   */
  public UsageRejectedException(RejectionReason reason, String detail) {
    super(reason.code(), detail);
    this.reason = reason;
  }

  /**
   * @param reason why
   * @param detail what was wrong
   * @param cause the underlying failure, such as the store's exception
   */
  public UsageRejectedException(RejectionReason reason, String detail, Throwable cause) {
    super(reason.code(), detail, cause);
    this.reason = reason;
  }

  /** Why the event was refused. */
  public RejectionReason reason() {
    return reason;
  }
}
