package dev.tenantkit.tenancy;

/**
 * A newly issued API key with its full secret string. The secret exists only here: show it to the
 * user once and drop it; it cannot be read back.
 *
 * @param key what is stored of the key
 * @param secret the full key string to present in {@code Authorization: Bearer} or {@code
 *     X-Api-Key}
 */
public record IssuedApiKey(ApiKey key, String secret) {

  /** Keeps the secret out of logs. */
  @Override
  public String toString() {
    return "IssuedApiKey[key=" + key + ", secret=***]";
  }
}
