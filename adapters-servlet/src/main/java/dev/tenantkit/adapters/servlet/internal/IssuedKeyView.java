package dev.tenantkit.adapters.servlet.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tenantkit.tenancy.IssuedApiKey;
import java.util.List;

/**
 * The JSON answer to issuing a key: the only time the full key string is shown.
 *
 * @param key the full key string to present
 * @param id the key id
 * @param name the label
 * @param scopes the granted scopes, sorted
 * @param createdAt when it was issued
 * @param expiresAt when it expires, or {@code null}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record IssuedKeyView(
    String key, String id, String name, List<String> scopes, String createdAt, String expiresAt) {

  static IssuedKeyView from(IssuedApiKey issued) {
    return new IssuedKeyView(
        issued.secret(),
        issued.key().id(),
        issued.key().name(),
        issued.key().scopes().stream().sorted().toList(),
        ApiKeyView.time(issued.key().createdAt()),
        ApiKeyView.time(issued.key().expiresAt()));
  }

  /** Keeps the key string out of logs. */
  @Override
  public String toString() {
    return "IssuedKeyView[id=" + id + ", key=***]";
  }
}
