package dev.tenantkit.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {
  @Test
  void acceptsValidIdsAsGiven() {
    assertThat(TenantId.of("acme_corp-2").value()).isEqualTo("acme_corp-2");
    assertThat(TenantId.of("a".repeat(64)).value()).hasSize(64);
    assertThat(TenantId.isValid("k-h6")).isTrue();
  }

  /**
   * Ids from the outside are validated as given: nothing is trimmed or case-folded into a tenant.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"H6-A", " k-h6 ", "iso_a\n", "\u212A-h6", "ACME", "  Acme_Corp-2 ", "acme\t"})
  void refusesWhatOnlyFoldingWouldHaveAccepted(String raw) {
    assertThatThrownBy(() -> TenantId.of(raw))
        .isInstanceOf(InvalidTenantIdException.class)
        .hasMessageContaining("a-z");
    assertThat(TenantId.isValid(raw)).isFalse();
  }

  @Test
  void asciiLowerCaseFoldsAsciiLettersOnly() {
    assertThat(TenantId.asciiLowerCase("ACME-Corp_9")).isEqualTo("acme-corp_9");
    // The Kelvin sign and the dotted capital I stay as they are (String.toLowerCase would give k,
    // i).
    assertThat(TenantId.asciiLowerCase("\u212A-H6")).isEqualTo("\u212A-h6");
    assertThat(TenantId.asciiLowerCase("\u0130D")).isEqualTo("\u0130d");
    assertThat(TenantId.asciiLowerCase(null)).isNull();
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
