package dev.tenantkit.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratedKeysTest {
  @Test
  void generatedKeysAreUniqueValidKeysThatDifferBetweenInstances() {
    GeneratedKeys one = GeneratedKeys.create();
    GeneratedKeys two = GeneratedKeys.create();
    Set<String> seen = new HashSet<>();
    String previous = "";
    for (int i = 0; i < 10_000; i++) {
      String key = one.next();
      assertThat(key).matches("g[0-9a-f]{24}-[0-9a-f]{16}");
      assertThat(key).isGreaterThan(previous);
      assertThat(seen.add(key)).isTrue();
      previous = key;
    }
    String other = two.next();
    assertThat(other.substring(0, 26)).isNotEqualTo(previous.substring(0, 26));
    assertThat(seen).doesNotContain(other);
  }
}
