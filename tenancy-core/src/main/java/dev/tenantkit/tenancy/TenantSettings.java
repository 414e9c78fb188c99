package dev.tenantkit.tenancy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Per-tenant settings. Immutable and thread-safe; build with {@link #builder()} or change one field
 * with {@link #toBuilder()}. All fields are optional and validated by {@link Builder#build()}.
 *
 * @param maxFileSizeBytes the largest file the tenant may upload, or {@code null} for no limit of
 *     its own
 * @param allowedFileTypes file extensions the tenant may upload, lower case without the dot; empty
 *     allows any
 * @param webhookUrl where events are posted, {@code http} or {@code https}, or {@code null}
 * @param webhookEvents the event names posted to {@code webhookUrl}
 * @param brandingJson a JSON object with the tenant's branding, canonicalised; {@code "{}"} when
 *     unset
 */
public record TenantSettings(
    Long maxFileSizeBytes,
    Set<String> allowedFileTypes,
    URI webhookUrl,
    Set<String> webhookEvents,
    String brandingJson) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FILE_TYPE = Pattern.compile("[a-z0-9]{1,16}");
  private static final Pattern EVENT = Pattern.compile("[a-z0-9_.:*-]{1,64}");
  private static final int MAX_BRANDING_CHARS = 16_384;
  private static final int MAX_ITEMS = 100;
  private static final TenantSettings DEFAULTS = builder().build();

  /** Copies the collections so the record stays immutable; use the builder to validate. */
  public TenantSettings {
    allowedFileTypes = Set.copyOf(allowedFileTypes);
    webhookEvents = Set.copyOf(webhookEvents);
  }

  /** Settings with nothing set. */
  public static TenantSettings defaults() {
    return DEFAULTS;
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder()
        .maxFileSizeBytes(maxFileSizeBytes)
        .allowedFileTypes(allowedFileTypes)
        .webhookUrl(webhookUrl)
        .webhookEvents(webhookEvents)
        .brandingJson(brandingJson);
  }

  /** Validating builder for {@link TenantSettings}. Not thread-safe. */
  public static final class Builder {
    private Long maxFileSizeBytes;
    private Collection<String> allowedFileTypes = Set.of();
    private URI webhookUrl;
    private Collection<String> webhookEvents = Set.of();
    private String brandingJson = "{}";

    private Builder() {}

    /**
     * @param bytes the largest upload in bytes, positive, or {@code null} for no limit
     */
    public Builder maxFileSizeBytes(Long bytes) {
      this.maxFileSizeBytes = bytes;
      return this;
    }

    /**
     * @param types allowed extensions such as {@code pdf}; case is ignored, a leading dot too
     */
    public Builder allowedFileTypes(Collection<String> types) {
      this.allowedFileTypes = types == null ? Set.of() : types;
      return this;
    }

    /**
     * @param url the webhook endpoint, or {@code null}
     */
    public Builder webhookUrl(URI url) {
      this.webhookUrl = url;
      return this;
    }

    /**
     * @param events event names to post to the webhook
     */
    public Builder webhookEvents(Collection<String> events) {
      this.webhookEvents = events == null ? Set.of() : events;
      return this;
    }

    /**
     * @param json a JSON object of at most 16 KiB, or {@code null} for none
     */
    public Builder brandingJson(String json) {
      this.brandingJson = json == null ? "{}" : json;
      return this;
    }

    /**
     * @return the settings
     * @throws InvalidInputException naming the first field that breaks a rule
     */
    public TenantSettings build() {
      if (maxFileSizeBytes != null && maxFileSizeBytes <= 0) {
        throw new InvalidInputException("maxFileSizeBytes", "must be positive");
      }
      Set<String> types = normalise("allowedFileTypes", allowedFileTypes, FILE_TYPE, true);
      Set<String> events = normalise("webhookEvents", webhookEvents, EVENT, false);
      if (webhookUrl != null) {
        String scheme = webhookUrl.getScheme();
        if (!webhookUrl.isAbsolute()
            || webhookUrl.getHost() == null
            || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
          throw new InvalidInputException("webhookUrl", "must be an absolute http(s) URL");
        }
      }
      return new TenantSettings(
          maxFileSizeBytes, types, webhookUrl, events, canonicalBranding(brandingJson));
    }

    private static Set<String> normalise(
        String field, Collection<String> values, Pattern pattern, boolean stripDot) {
      if (values.size() > MAX_ITEMS) {
        throw new InvalidInputException(field, "at most " + MAX_ITEMS + " entries");
      }
      Set<String> out = new LinkedHashSet<>();
      for (String v : values) {
        if (v == null) {
          throw new InvalidInputException(field, "entries must not be null");
        }
        // ASCII-only folding: Locale.ROOT would turn the Kelvin sign into 'k' and accept it.
        String n = TenantId.asciiLowerCase(v.strip());
        if (stripDot && n.startsWith(".")) {
          n = n.substring(1);
        }
        if (!pattern.matcher(n).matches()) {
          throw new InvalidInputException(field, "'" + v + "' is not allowed here");
        }
        out.add(n);
      }
      return out;
    }

    private static String canonicalBranding(String json) {
      if (json.length() > MAX_BRANDING_CHARS) {
        throw new InvalidInputException("branding", "must be at most 16 KiB");
      }
      try {
        JsonNode node = JSON.readTree(json);
        if (node == null || !node.isObject()) {
          throw new InvalidInputException("branding", "must be a JSON object");
        }
        return JSON.writeValueAsString(node);
      } catch (JsonProcessingException e) {
        throw new InvalidInputException("branding", "is not valid JSON");
      }
    }
  }
}
