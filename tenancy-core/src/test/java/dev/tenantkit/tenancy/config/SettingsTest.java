package dev.tenantkit.tenancy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.InvalidInputException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private final Settings settings =
      Settings.of(
          ordered(
              "tenantkit.filter.exclude-paths", " /health, ,/docs/** ",
              "tenantkit.filter.require-scopes", "/a/**=a:read, /b=b:read",
              "tenantkit.filter.blank", "  ",
              "tenantkit.quotas.plans.team.api-calls.kind", "allowance",
              "tenantkit.quotas.plans.team.seats.kind", "gauge",
              "tenantkit.quotas.plans.big.seats.kind", "gauge",
              "n", "1_000",
              "t", "TRUE",
              "d", "500ms",
              "iso", "PT2M"));

  @Test
  void readsTypedValuesAndTreatsBlankAsAbsent() {
    Settings filter = settings.under("tenantkit.filter.");

    assertThat(filter.list("exclude-paths")).containsExactly("/health", "/docs/**");
    assertThat(filter.rules("require-scopes", "pattern=scope"))
        .containsExactly(Map.entry("/a/**", "a:read"), Map.entry("/b", "b:read"));
    assertThat(filter.text("blank")).isEmpty();
    assertThat(filter.list("absent")).isEmpty();
    assertThat(settings.wholeNumber("n")).isEqualTo(OptionalLong.of(1000));
    assertThat(settings.bool("t")).isEqualTo(Optional.of(true));
    assertThat(settings.duration("d")).contains(Duration.ofMillis(500));
    assertThat(settings.duration("iso")).contains(Duration.ofMinutes(2));
  }

  @Test
  void groupsAndNamesFollowTheOrderOfTheSource() {
    Settings plans = settings.under("tenantkit.quotas.plans.");

    assertThat(plans.groups()).containsExactly("team", "big");
    assertThat(plans.under("team.").groups()).containsExactly("api-calls", "seats");
    assertThat(plans.under("team.api-calls.").names()).containsExactly("kind");
  }

  @Test
  void errorsNameTheFullKey() {
    Settings bad =
        Settings.of(
                ordered(
                    "x.rules", "/a/**",
                    "x.n", "12.5",
                    "x.big", "99999999999999999999",
                    "x.t", "yes",
                    "x.d", "soon"))
            .under("x.");

    assertRefused(() -> bad.rules("rules", "pattern=scope"), "x.rules", "pattern=scope");
    assertRefused(() -> bad.wholeNumber("n"), "x.n", "not a whole number");
    assertRefused(() -> bad.wholeNumber("big"), "x.big", "too large");
    assertRefused(() -> bad.bool("t"), "x.t", "true or false");
    assertRefused(() -> bad.duration("d"), "x.d", "30s, 1m, 1h or PT1M");
    assertRefused(() -> bad.requireOnly(Set.of("n")), "x.rules", "known here: n");
    assertRefused(
        () ->
            bad.check(
                "n",
                () -> {
                  throw new IllegalArgumentException("must be positive");
                }),
        "x.n",
        "is not valid: must be positive");
    assertRefused(
        () ->
            bad.check(
                "t",
                () -> {
                  throw new InvalidInputException("plans", "a plan lacks a limit");
                }),
        "x.t",
        "is not valid: a plan lacks a limit");
  }

  @Test
  void keepsValuesOutOfItsDescription() {
    assertThat(Settings.of(Map.of("secret", "hunter2")).toString()).doesNotContain("hunter2");
  }

  private static void assertRefused(Runnable step, String key, String problem) {
    assertThatThrownBy(step::run)
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> {
              assertThat(e.key()).isEqualTo(key);
              assertThat(e.problem()).contains(problem);
              assertThat(e.getMessage()).startsWith(key + " ");
            });
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
