package dev.tenantkit.metering.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCatalogTest {
  private static final long GIB = 1L << 30;

  private static String resource(String name) {
    try (InputStream in = PlanCatalogTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theDefaultsAreThoseOfTheOriginalDesign() {
    PlanCatalog c = PlanCatalog.defaults();
    assertThat(c.zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(c.thresholds()).containsExactly(80, 90, 100);
    assertThat(c.plans().keySet()).containsExactly("free", "starter", "professional", "enterprise");
    assertThat(c.limitNames())
        .containsExactly("api_calls", "files", "requests_per_minute", "storage_bytes", "tokens");
    long[][] expected = {
      {100, GIB, 1_000, 10_000, 30},
      {1_000, 10 * GIB, 10_000, 100_000, 60},
      {10_000, 100 * GIB, 100_000, 500_000, 120},
    };
    String[] ids = {"free", "starter", "professional"};
    for (int i = 0; i < ids.length; i++) {
      Plan p = c.plan(ids[i]).orElseThrow();
      assertThat(p.limits().get("files")).isEqualTo(LimitSpec.gauge(expected[i][0]));
      assertThat(p.limits().get("storage_bytes")).isEqualTo(LimitSpec.gauge(expected[i][1]));
      assertThat(p.limits().get("api_calls"))
          .isEqualTo(LimitSpec.allowance(expected[i][2], ResetPeriod.MONTH));
      assertThat(p.limits().get("tokens"))
          .isEqualTo(LimitSpec.allowance(expected[i][3], ResetPeriod.DAY));
      assertThat(p.limits().get("requests_per_minute"))
          .isEqualTo(LimitSpec.rate(expected[i][4], Duration.ofMinutes(1)));
    }
    assertThat(c.plan("free").orElseThrow().limits().get("storage_bytes").limit())
        .isEqualTo(1_073_741_824L);
    assertThat(c.plan("enterprise").orElseThrow().limits().values())
        .allSatisfy(s -> assertThat(s.isUnlimited()).isTrue());
    assertThat(c.plans().values())
        .flatExtracting(p -> p.limits().values())
        .allSatisfy(s -> assertThat(s.hardLimit()).isTrue());
  }

  @Test
  void jsonAndYamlDescribeTheSameCatalog() {
    PlanCatalog json = PlanCatalog.fromJson(resource("default-plans.json"), "default-plans.json");
    PlanCatalog yaml = PlanCatalog.fromYaml(resource("default-plans.yaml"), "default-plans.yaml");
    assertThat(json).isEqualTo(PlanCatalog.defaults());
    assertThat(yaml).isEqualTo(PlanCatalog.defaults());
  }

  @Test
  void filesAreReadByPath(@TempDir Path dir) throws IOException {
    Path yaml = dir.resolve("plans.yaml");
    Files.writeString(
        yaml,
        "zone: Europe/Berlin\n"
            + "thresholds: [50, 100]\n"
            + "plans:\n"
            + "  team:\n"
            + "    limits:\n"
            + "      seats: {kind: gauge, limit: 25, soft: true}\n"
            + "      exports: {kind: allowance, limit: \"1_000\", per: DAY}\n"
            + "      rps: {kind: rate, limit: 10, refill: 5, per: PT1S}\n");
    PlanCatalog c = PlanCatalog.fromYaml(yaml);
    assertThat(c.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(c.thresholds()).containsExactly(50, 100);
    Plan team = c.plan("team").orElseThrow();
    assertThat(team.limits().get("seats")).isEqualTo(LimitSpec.gauge(25).asSoft());
    assertThat(team.limits().get("exports")).isEqualTo(LimitSpec.allowance(1000, ResetPeriod.DAY));
    assertThat(team.limits().get("rps")).isEqualTo(LimitSpec.rate(10, 5, Duration.ofSeconds(1)));

    Path json = dir.resolve("plans.json");
    Files.writeString(
        json, "{\"plans\": {\"team\": {\"limits\": {\"x\": {\"kind\": \"gauge\"}}}}}");
    assertThatThrownBy(() -> PlanCatalog.fromJson(json))
        .isInstanceOf(InvalidPlanCatalogException.class)
        .hasMessage(json + ": plans.team.limits.x.limit: is required");
    assertThatThrownBy(() -> PlanCatalog.fromJson(dir.resolve("missing.json")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("missing.json");
  }

  @Test
  void aPlansPricesSectionIsAcceptedAndLeftToBilling() {
    String limits = "    limits:\n      seats: {kind: gauge, limit: 25, soft: true}\n";
    PlanCatalog without = PlanCatalog.fromYaml("plans:\n  team:\n" + limits, "plans.yaml");
    PlanCatalog with =
        PlanCatalog.fromYaml(
            "plans:\n  team:\n"
                + limits
                + "    prices:\n"
                + "      currency: USD\n"
                + "      interval: month\n"
                + "      charges:\n"
                + "        - {code: base, price: {type: flat, amount: \"29\"}}\n"
                + "        - {code: seats, limit: seats, anything: [1, 2]}\n",
            "plans.yaml");
    assertThat(with).isEqualTo(without);
    assertThat(
            PlanCatalog.fromJson(
                "{\"plans\": {\"team\": {\"limits\": {\"seats\": {\"kind\": \"gauge\","
                    + " \"limit\": 25, \"soft\": true}}, \"prices\": {\"currency\": \"EUR\"}}}}",
                "plans.json"))
        .isEqualTo(without);
    yamlFails(
        "plans:\n  team:\n" + limits + "    prices: 29\n",
        "plans.team.prices",
        "must be an object");
    yamlFails(
        "plans:\n  team:\n" + limits + "    pricing: {}\n",
        "plans.team.pricing",
        "unknown field; allowed here: limits, prices");
  }

  private static void yamlFails(String yaml, String path, String problem) {
    assertThatThrownBy(() -> PlanCatalog.fromYaml(yaml, "plans.yaml"))
        .isInstanceOf(InvalidPlanCatalogException.class)
        .hasMessageStartingWith("plans.yaml: " + (path.isEmpty() ? "" : path + ": "))
        .hasMessageContaining(problem)
        .satisfies(
            e -> {
              InvalidPlanCatalogException ex = (InvalidPlanCatalogException) e;
              assertThat(ex.field()).isEqualTo(path);
              assertThat(ex.source()).isEqualTo("plans.yaml");
              assertThat(ex.code()).isEqualTo("quota-catalog-invalid");
            });
  }

  private static String plan(String limitLine) {
    return "plans:\n  free:\n    limits:\n      " + limitLine + "\n";
  }

  @Test
  void badDocumentsNameTheFieldThatIsWrong() {
    yamlFails("", "", "the document is empty");
    yamlFails("- a\n- b\n", "", "must be an object");
    yamlFails("zone: UTC\n", "plans", "is required");
    yamlFails(
        "plan: {}\n", "plan", "unknown field; allowed here: plans, thresholds, version, zone");
    yamlFails("version: 2\nplans: {}\n", "version", "only version 1");
    yamlFails("zone: Mars/Olympus\nplans: {}\n", "zone", "'Mars/Olympus' is not a time zone id");
    yamlFails("thresholds: [80, 0]\nplans: {}\n", "thresholds[1]", "from 1 to 1000");
    yamlFails("thresholds: 80\nplans: {}\n", "thresholds", "must be a list");
    yamlFails("plans:\n  Free!: {limits: {}}\n", "plans.Free!", "a plan id is");
    yamlFails("plans:\n  free: {limit: {}}\n", "plans.free.limit", "unknown field");
    yamlFails("plans:\n  free: {}\n", "plans.free.limits", "is required");
    yamlFails(
        plan("api_calls: {kind: allowance, limit: 5}"),
        "plans.free.limits.api_calls.per",
        "an allowance needs 'per': day or month");
    yamlFails(
        plan("api_calls: {kind: allowance, limit: 5, per: week}"),
        "plans.free.limits.api_calls.per",
        "'week' is not day or month");
    yamlFails(
        plan("api_calls: {kind: quota, limit: 5}"),
        "plans.free.limits.api_calls.kind",
        "'quota' is not allowance, rate or gauge");
    yamlFails(
        plan("api_calls: {kind: gauge, limit: -5}"),
        "plans.free.limits.api_calls.limit",
        "whole number from 0, or \"unlimited\"");
    yamlFails(
        plan("api_calls: {kind: gauge, limit: 2.5}"),
        "plans.free.limits.api_calls.limit",
        "whole number");
    yamlFails(
        plan("api_calls: {kind: gauge, limit: 1E+100000000}"),
        "plans.free.limits.api_calls.limit",
        "whole number");
    yamlFails(
        plan("api_calls: {kind: gauge, limit: lots}"),
        "plans.free.limits.api_calls.limit",
        "whole number");
    yamlFails(
        plan("api_calls: {kind: gauge, limit: 5, per: day}"),
        "plans.free.limits.api_calls.per",
        "a gauge has no period");
    yamlFails(
        plan("api_calls: {kind: gauge, limit: 5, refill: 1}"),
        "plans.free.limits.api_calls.refill",
        "only a rate limit has a refill");
    yamlFails(
        plan("api_calls: {kind: gauge, limit: 5, soft: maybe}"),
        "plans.free.limits.api_calls.soft",
        "true or false");
    yamlFails(
        plan("api_calls: {kind: gauge, limit: 5, hard: true}"),
        "plans.free.limits.api_calls.hard",
        "unknown field");
    yamlFails(
        plan("rpm: {kind: rate, limit: 5}"),
        "plans.free.limits.rpm.per",
        "a rate limit needs 'per'");
    yamlFails(
        plan("rpm: {kind: rate, limit: 5, per: fortnight}"),
        "plans.free.limits.rpm.per",
        "'fortnight' is not a duration");
    yamlFails(
        plan("rpm: {kind: rate, limit: 5, per: 0s}"),
        "plans.free.limits.rpm.per",
        "must be positive");
    yamlFails(
        plan("rpm: {kind: rate, limit: 0, per: 1m}"),
        "plans.free.limits.rpm.limit",
        "positive capacity");
    yamlFails(
        plan("rpm: {kind: rate, limit: 5, refill: 0, per: 1m}"),
        "plans.free.limits.rpm.refill",
        "must be positive");
    yamlFails(
        plan("rpm: {kind: rate, limit: 5, per: P400D}"),
        "plans.free.limits.rpm.per",
        "at most 366 days");
    yamlFails(
        plan("Bad-Name: {kind: gauge, limit: 5}"), "plans.free.limits.Bad-Name", "a limit name is");
    yamlFails(plan("x: [gauge, 5]"), "plans.free.limits.x", "must be an object");
    yamlFails(
        "plans:\n  a: {limits: {x: {kind: gauge, limit: 1}}}\n"
            + "  b: {limits: {x: {kind: allowance, limit: 1, per: day}}}\n",
        "plans",
        "limit 'x' is GAUGE in one plan but ALLOWANCE in plan 'b'");
    yamlFails(
        "plans:\n  a: {limits: {x: {kind: gauge, limit: 1}}}\n"
            + "  b: {limits: {y: {kind: gauge, limit: 1}}}\n",
        "plans",
        "plan 'b' lacks limits [x] that plan 'a' has");
  }

  @Test
  void malformedSyntaxIsReportedWithItsPosition() {
    assertThatThrownBy(() -> PlanCatalog.fromJson("{\"plans\": {,}}", "plans.json"))
        .isInstanceOf(InvalidPlanCatalogException.class)
        .hasMessageStartingWith("plans.json: not well-formed at line 1, column 12");
    assertThatThrownBy(() -> PlanCatalog.fromYaml("plans:\n  free: [\n", "plans.yaml"))
        .isInstanceOf(InvalidPlanCatalogException.class)
        .hasMessageStartingWith("plans.yaml: not well-formed at line");
    assertThatThrownBy(
            () ->
                PlanCatalog.fromYaml(
                    plan("x: {kind: gauge, limit: 1}") + "      x: {kind: gauge, limit: 2}\n",
                    "plans.yaml"))
        .isInstanceOf(InvalidPlanCatalogException.class)
        .hasMessageContaining("Duplicate field 'x'");
    assertThatThrownBy(
            () -> PlanCatalog.fromJson("{\"zone\": \"UTC\", \"zone\": \"CET\"}", "plans.json"))
        .isInstanceOf(InvalidPlanCatalogException.class)
        .hasMessageContaining("Duplicate field 'zone'");
  }

  @Test
  void theBuilderValidates() {
    assertThatThrownBy(() -> LimitSpec.allowance(-1, ResetPeriod.DAY))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> LimitSpec.allowance(1, null))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> LimitSpec.rate(0, Duration.ofSeconds(1)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> LimitSpec.rate(5, Duration.ZERO))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> LimitSpec.rate(Long.MAX_VALUE - 1, 1, Duration.ofDays(1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("146 years");
    assertThatThrownBy(() -> new LimitSpec(LimitKind.GAUGE, 1, ResetPeriod.DAY, 0, null, false))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> Plan.builder("p").limit("a", LimitSpec.gauge(1)).limit("a", LimitSpec.gauge(2)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("twice");
    assertThatCode(() -> PlanCatalog.builder().thresholds(0))
        .as("thresholds are checked at build")
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> PlanCatalog.builder().thresholds(0).build())
        .isInstanceOf(InvalidInputException.class);
    Plan p = Plan.builder("p").limit("a", LimitSpec.gauge(1)).build();
    assertThatThrownBy(() -> PlanCatalog.builder().plan(p).plan(p))
        .isInstanceOf(InvalidInputException.class);
    assertThat(PlanCatalog.builder().thresholds(100, 80, 80).plan(p).build().thresholds())
        .containsExactly(80, 100);
    assertThat(LimitSpec.rate(30, Duration.ofMinutes(1)).tokenIntervalNanos())
        .isEqualTo(2_000_000_000L);
    assertThat(LimitSpec.rate(2, 3, Duration.ofSeconds(1)).tokenIntervalNanos())
        .isEqualTo(333_333_334L);
    assertThat(LimitSpec.gauge(5).asSoft().asHard()).isEqualTo(LimitSpec.gauge(5));
    assertThat(LimitSpec.allowance(5, ResetPeriod.DAY).asSoft().toString())
        .isEqualTo("ALLOWANCE(5 per day, soft)");
    assertThat(List.of(LimitSpec.gauge(LimitSpec.UNLIMITED).toString()))
        .containsExactly("GAUGE(unlimited in use)");
  }
}
