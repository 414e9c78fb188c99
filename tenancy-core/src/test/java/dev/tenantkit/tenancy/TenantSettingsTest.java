package dev.tenantkit.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TenantSettingsTest {
  @Test
  void fileTypesAndEventsFoldAsciiLettersOnly() {
    TenantSettings settings =
        TenantSettings.builder()
            .allowedFileTypes(List.of(" PDF ", ".Png"))
            .webhookEvents(List.of("File.Uploaded"))
            .build();
    assertThat(settings.allowedFileTypes()).containsExactlyInAnyOrder("pdf", "png");
    assertThat(settings.webhookEvents()).containsExactly("file.uploaded");
    // The Kelvin sign lower-cases to 'k' under Locale.ROOT; it must not become the type "key".
    assertThatThrownBy(() -> TenantSettings.builder().allowedFileTypes(List.of("\u212Aey")).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not allowed here");
    assertThatThrownBy(() -> TenantSettings.builder().webhookEvents(List.of("\u212A.x")).build())
        .isInstanceOf(InvalidInputException.class);
  }
}
