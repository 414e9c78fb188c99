package dev.tenantkit.metering.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.internal.JsonPaths;
import dev.tenantkit.tenancy.InvalidInputException;
import org.junit.jupiter.api.Test;

class JsonPathsAndMeterPathsTest {
  @Test
  void theSupportedSubsetCompilesToAPointer() {
    assertThat(JsonPaths.compile("$.tokens").toString()).isEqualTo("/tokens");
    assertThat(JsonPaths.compile("$.usage.total_tokens").toString())
        .isEqualTo("/usage/total_tokens");
    assertThat(JsonPaths.compile("$['a b'].c").toString()).isEqualTo("/a b/c");
    assertThat(JsonPaths.compile("$['a/b~c']").toString()).isEqualTo("/a~1b~0c");
    assertThat(JsonPaths.compile("$.items[0].n").toString()).isEqualTo("/items/0/n");
  }

  @Test
  void everythingElseIsRefusedWithAReason() {
    for (String bad :
        new String[] {
          "",
          "$",
          "tokens",
          "$.",
          "$..a",
          "$.*",
          "$[*]",
          "$[?(@.a)]",
          "$['a",
          "$['']",
          "$[-1]",
          "$.a b",
          "$.1a",
          "$." + "a.".repeat(8) + "a",
          "$['a\\'b']"
        }) {
      assertThatThrownBy(() -> JsonPaths.compile(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aMetersPathsAreCheckedWhenItIsDefined() {
    assertThatThrownBy(() -> MeterDefinition.builder("m").valuePath("tokens").build())
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("valuePath"));
    assertThatThrownBy(() -> MeterDefinition.builder("m").dimensionPath("model", "$.model").build())
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.getMessage()).contains("not a dimension"));
    MeterDefinition ok =
        MeterDefinition.builder("m")
            .dimensions("model")
            .valuePath("$.tokens")
            .dimensionPath("model", "$.model")
            .build();
    assertThat(ok.readsPaths()).isTrue();
    assertThat(MeterDefinition.builder("m").build().readsPaths()).isFalse();
  }

  @Test
  void theIdempotencyKeyIsReadableWhenItFitsAndAHashOtherwise() {
    assertThat(IdempotencyKeys.of("//svc", "e1")).isEqualTo("ce:5://svc:e1");
    assertThat(IdempotencyKeys.of("a", "b:c")).isNotEqualTo(IdempotencyKeys.of("a:b", "c"));
    assertThat(IdempotencyKeys.of("s".repeat(130), "e1")).startsWith("ce#").hasSize(46);
    assertThat(IdempotencyKeys.of("s", "é")).startsWith("ce#");
  }
}
