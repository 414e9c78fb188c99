package dev.tenantkit.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.TenantSettings;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsJsonTest {
  @Test
  void writesAVersionedDocumentThatReadsBackEqual() {
    TenantSettings s =
        TenantSettings.builder()
            .maxFileSizeBytes(10L)
            .allowedFileTypes(List.of("png", "pdf"))
            .webhookUrl(URI.create("https://h.example.com/x?y=1"))
            .webhookEvents(List.of("b.x", "a.y"))
            .brandingJson("{\"n\":1.5,\"big\":12345678901234567890,\"s\":\"\\u00e9\",\"o\":{}}")
            .build();
    String json = SettingsJson.write(s);
    assertThat(json)
        .startsWith("{\"v\":1,")
        .contains("\"allowedFileTypes\":[\"pdf\",\"png\"]")
        .contains("\"branding\":{");
    assertThat(SettingsJson.read(json)).isEqualTo(s);
    assertThat(SettingsJson.read(SettingsJson.write(TenantSettings.defaults())))
        .isEqualTo(TenantSettings.defaults());
  }

  @Test
  void ignoresUnknownFieldsButRefusesAnUnknownVersion() {
    assertThat(SettingsJson.read("{\"v\":1,\"later\":true}")).isEqualTo(TenantSettings.defaults());
    assertThatThrownBy(() -> SettingsJson.read("{\"v\":2}"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SettingsJson.read("{}")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SettingsJson.read("not json"))
        .isInstanceOf(IllegalStateException.class);
  }
}
