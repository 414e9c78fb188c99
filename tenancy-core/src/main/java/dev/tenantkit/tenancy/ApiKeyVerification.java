package dev.tenantkit.tenancy;

/**
 * The outcome of checking a presented API key string: either {@link Valid} with the key, or {@link
 * Invalid} with a reason. Revoked and expired are reported only when the secret was right, so the
 * answer never helps someone guessing keys.
 */
public sealed interface ApiKeyVerification {

  /**
   * The key is genuine and usable.
   *
   * @param key the stored key
   */
  record Valid(ApiKey key) implements ApiKeyVerification {}

  /**
   * The key cannot be used.
   *
   * @param reason why
   */
  record Invalid(Reason reason) implements ApiKeyVerification {}

  /** Why a key was refused. */
  enum Reason {
    /** Not shaped like a Tenantkit key. */
    MALFORMED,
    /** No key with this id, or the secret does not match. */
    UNKNOWN,
    /** The key was revoked. */
    REVOKED,
    /** The key is past its expiry. */
    EXPIRED
  }
}
