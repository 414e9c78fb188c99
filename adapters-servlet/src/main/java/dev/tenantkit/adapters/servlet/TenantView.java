package dev.tenantkit.adapters.servlet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantSettings;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The JSON form of a tenant, a public contract of the admin API and of apps that show a tenant its
 * own record:
 *
 * <pre>{@code
 * {"id":"acme","name":"Acme","plan":"pro","status":"active",
 *  "settings":{"maxFileSizeBytes":null,"allowedFileTypes":[],"webhookUrl":null,
 *              "webhookEvents":[],"branding":{}},
 *  "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","deletedAt":null}
 * }</pre>
 *
 * Times are ISO-8601 strings in UTC, so any Jackson {@code ObjectMapper} writes the same JSON with
 * or without the Java time module. Members that are {@code null} are written as {@code null}.
 * Immutable and thread-safe.
 *
 * @param id the tenant id
 * @param name the display name
 * @param plan the plan id
 * @param status {@code active}, {@code suspended} or {@code deleted}
 * @param settings the tenant's settings
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 * @param deletedAt when it was soft-deleted, or {@code null}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TenantView(
    String id,
    String name,
    String plan,
    String status,
    Settings settings,
    String createdAt,
    String updatedAt,
    String deletedAt) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The view of {@code tenant}.
   *
   * @throws NullPointerException if {@code tenant} is null
   */
  public static TenantView from(Tenant tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return new TenantView(
        tenant.id().value(),
        tenant.name(),
        tenant.planId(),
        tenant.status().name().toLowerCase(Locale.ROOT),
        Settings.from(tenant.settings()),
        time(tenant.createdAt()),
        time(tenant.updatedAt()),
        time(tenant.deletedAt()));
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /**
   * The JSON form of {@link TenantSettings}. Lists are sorted so the output is stable. Immutable.
   *
   * @param maxFileSizeBytes the largest upload in bytes, or {@code null}
   * @param allowedFileTypes allowed file extensions; empty allows any
   * @param webhookUrl the webhook endpoint, or {@code null}
   * @param webhookEvents event names posted to the webhook
   * @param branding the branding as a JSON object
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Settings(
      Long maxFileSizeBytes,
      List<String> allowedFileTypes,
      String webhookUrl,
      List<String> webhookEvents,
      JsonNode branding) {

    /** Copies the lists and the branding, which is otherwise a mutable tree. */
    public Settings {
      allowedFileTypes = List.copyOf(allowedFileTypes);
      webhookEvents = List.copyOf(webhookEvents);
      branding = branding.deepCopy();
    }

    /** A copy of the branding object, so that changing it leaves this view as it was. */
    @Override
    public JsonNode branding() {
      return branding.deepCopy();
    }

    /**
     * The view of {@code settings}.
     *
     * @throws NullPointerException if {@code settings} is null
     */
    public static Settings from(TenantSettings settings) {
      return new Settings(
          settings.maxFileSizeBytes(),
          settings.allowedFileTypes().stream().sorted().toList(),
          settings.webhookUrl() == null ? null : settings.webhookUrl().toString(),
          settings.webhookEvents().stream().sorted().toList(),
          parse(settings.brandingJson()));
    }

    private static JsonNode parse(String json) {
      try {
        return JSON.readTree(json);
      } catch (JsonProcessingException e) {
        // TenantSettings only ever holds canonical JSON it has parsed itself.
        throw new IllegalStateException("stored branding is not JSON", e);
      }
    }
  }
}
