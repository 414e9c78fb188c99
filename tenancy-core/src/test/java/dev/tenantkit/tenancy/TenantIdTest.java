package dev.tenantkit.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {
  @Test
  void normalisesCaseAndSurroundingSpace() {
    assertThat(TenantId.of("  Acme_Corp-2 ")).isEqualTo(TenantId.of("acme_corp-2"));
    assertThat(TenantId.of("ACME").value()).isEqualTo("acme");
    assertThat(TenantId.of("a".repeat(64)).value()).hasSize(64);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a b", "acme.com", "ümlaut", "../etc", "a/b", "tenant%00", "é"})
  void refusesCharactersOutsideTheAlphabet(String raw) {
    assertThatThrownBy(() -> TenantId.of(raw))
        .isInstanceOf(InvalidTenantIdException.class)
        .extracting(e -> ((InvalidTenantIdException) e).code())
        .isEqualTo("malformed-tenant-id");
    assertThat(TenantId.isValid(raw)).isFalse();
  }

  @Test
  void refusesNullAndOverlongIds() {
    assertThatThrownBy(() -> TenantId.of(null)).hasMessageContaining("missing");
    assertThatThrownBy(() -> TenantId.of("a".repeat(65))).hasMessageContaining("64");
    assertThatThrownBy(() -> new TenantId("Acme")).isInstanceOf(InvalidTenantIdException.class);
  }
}
