package dev.tenantkit.examples.library;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LibraryExampleTest {
  @Test
  void theQuickStartWorksAsWritten() {
    assertThat(LibraryExample.run()).isEqualTo("working for acme");
  }
}
