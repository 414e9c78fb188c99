package dev.tenantkit.metering.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.config.InvalidSettingException;
import dev.tenantkit.tenancy.config.Settings;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link PlanCatalog#fromSettings}: the flat form of a catalog, as hosts write it. */
class PlanCatalogSettingsTest {
  private static final String P = "tenantkit.quotas.";

  @Test
  void buildsTheSameCatalogAsTheFileSchema() {
    PlanCatalog fromSettings =
        PlanCatalog.fromSettings(
            settings(
                "plans.team.api-calls.kind", "allowance",
                "plans.team.api-calls.limit", "50_000",
                "plans.team.api-calls.period", "month",
                "plans.team.requests_per_minute.kind", "rate",
                "plans.team.requests_per_minute.limit", "60",
                "plans.team.requests_per_minute.period", "1m",
                "plans.team.requests_per_minute.refill", "30",
                "plans.team.seats.kind", "gauge",
                "plans.team.seats.limit", "5",
                "plans.team.seats.soft", "true",
                "plans.big.api-calls.kind", "allowance",
                "plans.big.api-calls.limit", "unlimited",
                "plans.big.api-calls.period", "month",
                "plans.big.requests_per_minute.kind", "rate",
                "plans.big.requests_per_minute.limit", "unlimited",
                "plans.big.requests_per_minute.period", "PT1M",
                "plans.big.seats.kind", "gauge",
                "plans.big.seats.limit", "unlimited",
                "zone", "Europe/Paris",
                "thresholds", "100, 50"));
    PlanCatalog fromJson =
        PlanCatalog.fromJson(
            """
            {"zone": "Europe/Paris", "thresholds": [50, 100], "plans": {
              "team": {"limits": {
                "api_calls": {"kind": "allowance", "limit": 50000, "per": "month"},
                "requests_per_minute": {"kind": "rate", "limit": 60, "per": "1m", "refill": 30},
                "seats": {"kind": "gauge", "limit": 5, "soft": true}}},
              "big": {"limits": {
                "api_calls": {"kind": "allowance", "limit": "unlimited", "per": "month"},
                "requests_per_minute": {"kind": "rate", "limit": "unlimited", "per": "1m"},
                "seats": {"kind": "gauge", "limit": "unlimited"}}}}}
            """,
            "plans.json");

    assertThat(fromSettings).isEqualTo(fromJson);
    assertThat(fromSettings.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }

  @Test
  void refusesWithTheFileReadersWordsNamingTheKey() {
    assertRefused(
        P + "plans.free.api-calls.kind",
        "'hourly' is not allowance, rate or gauge",
        "plans.free.api-calls.kind",
        "hourly",
        "plans.free.api-calls.limit",
        "5");
    assertRefused(
        P + "plans.free.api-calls.period",
        "an allowance needs 'period': day or month",
        "plans.free.api-calls.kind",
        "allowance",
        "plans.free.api-calls.limit",
        "5");
    assertRefused(
        P + "plans.free.api-calls.period",
        "'week' is not day or month",
        "plans.free.api-calls.kind",
        "allowance",
        "plans.free.api-calls.limit",
        "5",
        "plans.free.api-calls.period",
        "week");
    assertRefused(
        P + "plans.free.rpm.period",
        "not a duration such as 30s, 1m, 1h or PT1M",
        "plans.free.rpm.kind",
        "rate",
        "plans.free.rpm.limit",
        "5",
        "plans.free.rpm.period",
        "soon");
    assertRefused(
        P + "plans.free.rpm.limit",
        "must be a whole number from 0, or \"unlimited\"",
        "plans.free.rpm.kind",
        "rate",
        "plans.free.rpm.limit",
        "-5",
        "plans.free.rpm.period",
        "1m");
    assertRefused(
        P + "plans.free.seats.refill",
        "only a rate limit has a refill",
        "plans.free.seats.kind",
        "gauge",
        "plans.free.seats.limit",
        "5",
        "plans.free.seats.refill",
        "1");
    assertRefused(
        P + "plans.free.seats.soft",
        "must be true or false",
        "plans.free.seats.kind",
        "gauge",
        "plans.free.seats.limit",
        "5",
        "plans.free.seats.soft",
        "maybe");
    assertRefused(P + "plans.free.seats.limit", "is required", "plans.free.seats.kind", "gauge");
    assertRefused(
        P + "plans.free.seats.hard",
        "not a known setting",
        "plans.free.seats.kind",
        "gauge",
        "plans.free.seats.limit",
        "5",
        "plans.free.seats.hard",
        "true");
    assertRefused(
        P + "plans",
        "lacks limits [seats]",
        "plans.a.seats.kind",
        "gauge",
        "plans.a.seats.limit",
        "5",
        "plans.b.files.kind",
        "gauge",
        "plans.b.files.limit",
        "5");
    assertRefused(
        P + "zone",
        "not a time zone id",
        "zone",
        "Mars/Base",
        "plans.a.seats.kind",
        "gauge",
        "plans.a.seats.limit",
        "5");
    assertRefused(P + "plans", "is required", "zone", "UTC");
    assertRefused(P + "plan", "not a setting of a plan catalog", "plan.a.seats.kind", "gauge");
  }

  private static void assertRefused(String key, String problem, String... pairs) {
    assertThatThrownBy(() -> PlanCatalog.fromSettings(settings(pairs)))
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> {
              assertThat(e.key()).isEqualTo(key);
              assertThat(e.problem()).contains(problem);
            });
  }

  private static Settings settings(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(P + pairs[i], pairs[i + 1]);
    }
    return Settings.of(map).under(P);
  }
}
