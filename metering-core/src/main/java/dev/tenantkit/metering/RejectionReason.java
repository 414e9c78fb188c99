package dev.tenantkit.metering;

/** Why a usage event was not recorded. Each has a stable {@link #code()} for problem types. */
public enum RejectionReason {
  /** No meter of that name is declared. */
  UNKNOWN_METER("unknown-meter"),
  /** Negative where the meter forbids it, fractional for a whole-number meter, or out of range. */
  INVALID_QUANTITY("invalid-quantity"),
  /** A dimension the meter does not declare. */
  UNDECLARED_DIMENSION("undeclared-dimension"),
  /** A dimension value, the properties, or a key or user id is too large. */
  OVERSIZED("oversized-event"),
  /** Malformed idempotency key, user id or source. */
  MALFORMED("malformed-event"),
  /** Older than the accepted lateness. */
  TOO_LATE("event-too-late"),
  /** Later than now plus the allowed clock skew. */
  IN_FUTURE("event-in-future"),
  /** The key was used before by the tenant for a different payload. */
  IDEMPOTENCY_CONFLICT("idempotency-conflict"),
  /** The buffer is full and the meter's backpressure policy is to reject. */
  BUFFER_FULL("buffer-full"),
  /** The store could not be reached; nothing was recorded. */
  STORE_UNAVAILABLE("store-unavailable");

  private final String code;

  RejectionReason(String code) {
    this.code = code;
  }

  /** The stable slug of this reason. */
  public String code() {
    return code;
  }
}
