package dev.tenantkit.adapters.servlet.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tenantkit.tenancy.ApiKey;
import java.time.Instant;
import java.util.List;

/**
 * The JSON form of an API key without its secret.
 *
 * @param id the key id
 * @param name the label
 * @param scopes the granted scopes, sorted
 * @param createdAt when it was issued
 * @param expiresAt when it expires, or {@code null}
 * @param revokedAt when it was revoked, or {@code null}
 * @param lastUsedAt when it was last used, or {@code null}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiKeyView(
    String id,
    String name,
    List<String> scopes,
    String createdAt,
    String expiresAt,
    String revokedAt,
    String lastUsedAt) {

  static ApiKeyView from(ApiKey key) {
    return new ApiKeyView(
        key.id(),
        key.name(),
        key.scopes().stream().sorted().toList(),
        time(key.createdAt()),
        time(key.expiresAt()),
        time(key.revokedAt()),
        time(key.lastUsedAt()));
  }

  static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
