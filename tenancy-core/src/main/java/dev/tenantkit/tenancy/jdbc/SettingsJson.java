package dev.tenantkit.tenancy.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.tenancy.TenantSettings;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The stored form of {@link TenantSettings}: a JSON object with a format version {@code "v"}.
 *
 * <p>Compatibility rule: a new optional field may be added without changing {@code "v"}; readers
 * ignore fields they do not know. Any other change (renaming, retyping, removing a field) raises
 * {@code "v"}, and a reader refuses a version it does not know rather than guess.
 */
final class SettingsJson {
  static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SettingsJson() {}

  static String write(TenantSettings s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("v", VERSION);
    if (s.maxFileSizeBytes() != null) {
      n.put("maxFileSizeBytes", s.maxFileSizeBytes());
    }
    ArrayNode types = n.putArray("allowedFileTypes");
    new TreeSet<>(s.allowedFileTypes()).forEach(types::add);
    if (s.webhookUrl() != null) {
      n.put("webhookUrl", s.webhookUrl().toString());
    }
    ArrayNode events = n.putArray("webhookEvents");
    new TreeSet<>(s.webhookEvents()).forEach(events::add);
    try {
      // Embedded as an object rather than a string so the column reads as one JSON document.
      n.set("branding", JSON.readTree(s.brandingJson()));
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("branding of validated settings is not JSON", e);
    }
  }

  static TenantSettings read(String stored) {
    try {
      JsonNode n = JSON.readTree(stored);
      if (n == null || !n.isObject() || n.path("v").asInt() != VERSION) {
        throw new IllegalStateException(
            "stored tenant settings have an unknown format (expected v=" + VERSION + ")");
      }
      JsonNode max = n.get("maxFileSizeBytes");
      JsonNode url = n.get("webhookUrl");
      JsonNode branding = n.get("branding");
      return new TenantSettings(
          max == null || max.isNull() ? null : max.asLong(),
          strings(n.path("allowedFileTypes")),
          url == null || url.isNull() ? null : URI.create(url.asText()),
          strings(n.path("webhookEvents")),
          branding == null || branding.isNull() ? "{}" : JSON.writeValueAsString(branding));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored tenant settings are not valid JSON", e);
    }
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new LinkedHashSet<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }
}
