package dev.tenantkit.billing.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeTiming;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.QuantityRounding;
import dev.tenantkit.billing.price.StandardPrice;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.quota.InvalidPlanCatalogException;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.tenancy.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceCatalogTest {
  private static final long GIB = 1L << 30;

  private static String resource(String name) {
    try (InputStream in = PriceCatalogTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BigDecimal price(PriceCatalog c, String plan, String charge, BigDecimal raw) {
    PlanCharge pc = c.requirePrices(plan).charge(charge).orElseThrow();
    LimitSpec spec =
        pc.isOverage() ? c.limits().plan(plan).orElseThrow().limits().get(pc.limit()) : null;
    return pc.charge().price(Usage.of(pc.quantity(raw, spec)), BigDecimal.ONE).total();
  }

  @Test
  void theDefaultsAreThoseOfTheOriginalDesign() {
    PriceCatalog c = PriceCatalog.defaults();
    assertThat(c.prices().keySet())
        .containsExactly("free", "starter", "professional", "enterprise");
    assertThat(c.prices().values())
        .allSatisfy(
            p -> {
              assertThat(p.currency().getCurrencyCode()).isEqualTo("USD");
              assertThat(p.interval()).isEqualTo(BillingInterval.MONTH);
              Charge sub = p.charge("subscription").orElseThrow().charge();
              assertThat(sub.timing()).isEqualTo(ChargeTiming.ADVANCE);
              assertThat(sub.prorated()).isTrue();
            });
    assertThat(c.requirePrices("free").recurringFee()).isEqualTo(Money.of("0", "USD"));
    assertThat(c.requirePrices("starter").recurringFee()).isEqualTo(Money.of("29", "USD"));
    assertThat(c.requirePrices("professional").recurringFee()).isEqualTo(Money.of("99", "USD"));
    assertThat(c.requirePrices("enterprise").recurringFee()).isEqualTo(Money.of("299", "USD"));

    // Overage: 0.50 per file, 10 per GiB, 0.10 per 1,000 API calls above the limit.
    assertThat(price(c, "starter", "files_overage", BigDecimal.valueOf(1_013)))
        .isEqualByComparingTo("6.5");
    assertThat(price(c, "starter", "files_overage", BigDecimal.valueOf(900)))
        .isEqualByComparingTo("0");
    assertThat(price(c, "starter", "storage_overage", BigDecimal.valueOf(12 * GIB + GIB / 2)))
        .isEqualByComparingTo("25");
    assertThat(price(c, "professional", "api_calls_overage", BigDecimal.valueOf(102_500)))
        .isEqualByComparingTo("0.25");
    assertThat(price(c, "professional", "api_calls_overage", BigDecimal.valueOf(100_001)))
        .isEqualByComparingTo("0.0001");

    // The limits: quota defaults, with the overage-billed limits of paid plans soft.
    for (String plan : List.of("free", "starter", "professional", "enterprise")) {
      Plan quota = PlanCatalog.defaults().plan(plan).orElseThrow();
      Plan priced = c.limits().plan(plan).orElseThrow();
      quota
          .limits()
          .forEach(
              (name, spec) -> {
                boolean soft =
                    (plan.equals("starter") || plan.equals("professional"))
                        && List.of("files", "storage_bytes", "api_calls").contains(name);
                assertThat(priced.limits().get(name)).isEqualTo(soft ? spec.asSoft() : spec);
              });
    }
    assertThat(PlanCatalog.defaults().plans().values())
        .flatExtracting(p -> p.limits().values())
        .allSatisfy(s -> assertThat(s.hardLimit()).isTrue());
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void theDefaultsWrittenOutReadBackEqual() {
    assertThat(PriceCatalog.fromYaml(resource("default-prices.yaml"), "default-prices.yaml"))
        .isEqualTo(PriceCatalog.defaults());
    // The quota engine reads the same file: the limits, prices ignored.
    assertThat(PlanCatalog.fromYaml(resource("default-prices.yaml"), "default-prices.yaml"))
        .isEqualTo(PriceCatalog.defaults().limits());
  }

  @Test
  void jsonIsTheSameSchemaAndDecimalsStayExact(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("plans.json");
    Files.writeString(
        file,
        """
        {"plans": {"team": {
          "limits": {"seats": {"kind": "gauge", "limit": 10, "soft": true}},
          "prices": {"currency": "EUR", "interval": "year", "charges": [
            {"code": "base", "price": {"type": "flat", "amount": 0.1}, "timing": "advance"},
            {"code": "seats", "limit": "seats", "price": {"type": "standard", "unit_price": 12.30},
             "rounding": {"mode": "ceil", "precision": 0}, "free_units": 1,
             "discount_percent": "12.5", "minimum": "5"}
          ]}}}}
        """);
    PriceCatalog c = PriceCatalog.fromJson(file);
    PlanPrices team = c.requirePrices("team");
    assertThat(team.currency().getCurrencyCode()).isEqualTo("EUR");
    assertThat(team.interval()).isEqualTo(BillingInterval.YEAR);
    assertThat(team.charge("base").orElseThrow().charge().model())
        .isEqualTo(new FlatPrice(new BigDecimal("0.1")));
    PlanCharge seats = team.charge("seats").orElseThrow();
    assertThat(seats.limit()).isEqualTo("seats");
    assertThat(seats.charge().meter()).isEqualTo("seats");
    assertThat(seats.charge().aggregation()).isEqualTo(Aggregation.MAX);
    assertThat(seats.charge().timing()).isEqualTo(ChargeTiming.ARREARS);
    assertThat(seats.charge().model()).isEqualTo(new StandardPrice(new BigDecimal("12.3")));
    assertThat(seats.charge().rounding())
        .isEqualTo(new QuantityRounding(QuantityRounding.Mode.CEIL, 0));
    assertThat(seats.charge().freeUnits()).isEqualByComparingTo("1");
    assertThat(seats.charge().discountPercent()).isEqualByComparingTo("12.5");
    assertThat(seats.charge().minimum()).isEqualByComparingTo("5");
  }

  @Test
  void yamlDecimalsAreReadWithoutADouble() {
    PriceCatalog c =
        PriceCatalog.fromYaml(
            "plans:\n  team:\n    limits: {}\n    prices:\n      currency: USD\n"
                + "      charges:\n        - {code: base, price: {type: flat, amount: 0.1}}\n",
            "plans.yaml");
    assertThat(c.requirePrices("team").recurringFee()).isEqualTo(Money.of("0.1", "USD"));
    assertThat(c.requirePrices("team").interval()).isEqualTo(BillingInterval.MONTH);
  }

  private static final String LIMITS =
      "plans:\n"
          + "  team:\n"
          + "    limits:\n"
          + "      files: {kind: gauge, limit: 100, soft: true}\n"
          + "      hard_files: {kind: gauge, limit: 100}\n"
          + "      calls: {kind: allowance, limit: 100, per: month, soft: true}\n"
          + "      daily: {kind: allowance, limit: 100, per: day, soft: true}\n"
          + "      rps: {kind: rate, limit: 10, per: 1s, soft: true}\n"
          + "      any: {kind: gauge, limit: unlimited, soft: true}\n";

  private static String team(String prices) {
    return LIMITS + "    prices:\n" + prices;
  }

  private static String charges(String... charges) {
    StringBuilder s = new StringBuilder("      currency: USD\n      charges:\n");
    for (String c : charges) {
      s.append("        - ").append(c).append('\n');
    }
    return team(s.toString());
  }

  private static void fails(String yaml, String path, String problem) {
    assertThatThrownBy(() -> PriceCatalog.fromYaml(yaml, "plans.yaml"))
        .isInstanceOf(InvalidPriceCatalogException.class)
        .hasMessageStartingWith("plans.yaml: " + (path.isEmpty() ? "" : path + ": "))
        .hasMessageContaining(problem)
        .satisfies(
            e -> {
              InvalidPriceCatalogException ex = (InvalidPriceCatalogException) e;
              assertThat(ex.field()).isEqualTo(path);
              assertThat(ex.source()).isEqualTo("plans.yaml");
              assertThat(ex.code()).isEqualTo("price-catalog-invalid");
            });
  }

  private static final String BASE = "{code: base, price: {type: flat, amount: \"9\"}}";

  @Test
  void badPricesNameTheFieldThatIsWrong() {
    String p = "plans.team.prices";
    fails(team("      interval: month\n      charges: []\n"), p + ".currency", "is required");
    fails(charges().replace("USD", "XYZ"), p + ".currency", "unknown ISO 4217 currency 'XYZ'");
    fails(charges().replace("USD", "XXX"), p + ".currency", "not a currency that money can be in");
    fails(team("      currency: USD\n"), p + ".charges", "is required");
    fails(
        team("      currency: USD\n      interval: week\n      charges: []\n"),
        p + ".interval",
        "is month or year");
    fails(team("      currency: USD\n      charges: []\n      tax: 10\n"), p + ".tax", "unknown");
    fails(
        charges("{code: base, price: {type: flat, amount: \"-1\"}}"),
        p + ".charges[0].price.amount",
        "zero or more");
    fails(
        charges(
            "{code: calls, meter: calls, aggregation: sum,"
                + " price: {type: standard, unit_price: \"-0.01\"}}"),
        p + ".charges[0].price.unit_price",
        "zero or more");
    fails(charges("{code: base, price: {type: stairs}}"), p + ".charges[0].price.type", "unknown");
    fails(charges("{code: base}"), p + ".charges[0].price", "is an object");
    fails(charges("{price: {type: flat, amount: \"1\"}}"), p + ".charges[0].code", "is required");
    fails(charges(BASE, BASE), p + ".charges", "'base' is used twice");
    fails(
        charges("{code: base, colour: red, price: {type: flat, amount: \"1\"}}"),
        p + ".charges[0].colour",
        "unknown field; allowed here: aggregation, code, discount_percent");
    fails(
        charges("{code: c, meter: calls, price: {type: standard, unit_price: \"1\"}}"),
        p + ".charges[0].aggregation",
        "is required: a charge on a meter names its aggregation (count, sum");
    fails(
        charges(
            "{code: c, meter: calls, aggregation: median,"
                + " price: {type: standard, unit_price: \"1\"}}"),
        p + ".charges[0].aggregation",
        "unknown aggregation 'median'");
    fails(
        charges(
            "{code: c, meter: calls, aggregation: sum, timing: advance,"
                + " price: {type: standard, unit_price: \"1\"}}"),
        p + ".charges[0].timing",
        "only a flat fee is billed in advance");
    fails(
        charges(
            "{code: c, meter: calls, aggregation: sum, discount_percent: 120,"
                + " price: {type: standard, unit_price: \"1\"}}"),
        p + ".charges[0].discount_percent",
        "at most 100 percent");
    fails(
        charges("{code: c, limit: files, unit: 0, price: {type: standard, unit_price: \"1\"}}"),
        p + ".charges[0].unit",
        "positive");
    fails(
        charges(
            "{code: c, limit: files, unit: parsecs, price: {type: standard,"
                + " unit_price: \"1\"}}"),
        p + ".charges[0].unit",
        "GiB");
    fails(
        charges(
            "{code: c, meter: calls, aggregation: sum, rounding: {mode: up},"
                + " price: {type: standard, unit_price: \"1\"}}"),
        p + ".charges[0].rounding.mode",
        "round, ceil, floor or none");
  }

  @Test
  void anOveragePricesOnlyASoftLimitThatCanBeOver() {
    String at = "plans.team.prices.charges[0].limit";
    String unit = ", price: {type: standard, unit_price: \"1\"}}";
    fails(charges("{code: c, limit: hard_files" + unit), at, "the limit is hard");
    fails(charges("{code: c, limit: nothing" + unit), at, "has no limit 'nothing'");
    fails(
        charges("{code: c, limit: nothing, meter: files, aggregation: max" + unit),
        at,
        "plan 'team' has no such limit");
    fails(charges("{code: c, limit: rps" + unit), at, "a rate limit has no usage to bill over");
    fails(charges("{code: c, limit: any" + unit), at, "unlimited");
    fails(charges("{code: c, limit: daily" + unit), at, "resets every DAY");
    fails(
        team(
            "      currency: USD\n      interval: year\n      charges:\n"
                + "        - {code: c, limit: calls"
                + unit
                + "\n"),
        at,
        "bills every YEAR");
    PriceCatalog ok =
        PriceCatalog.fromYaml(
            charges("{code: c, limit: files" + unit, "{code: d, limit: calls" + unit), "p.yaml");
    assertThat(ok.requirePrices("team").charge("d").orElseThrow().charge().aggregation())
        .isEqualTo(Aggregation.SUM);
    // Soft limits without an overage charge are allowed, and reported.
    assertThat(ok.warnings())
        .containsExactly(
            "plan 'team': soft limit 'daily' has no overage charge; usage above it is allowed and"
                + " not billed",
            "plan 'team': soft limit 'rps' has no overage charge; usage above it is allowed and"
                + " not billed");
  }

  @Test
  void anUnknownPlanOrAnUnknownMeterIsRefused() {
    PlanPrices nine = PlanPrices.of("USD", BillingInterval.MONTH);
    assertThatThrownBy(() -> PriceCatalog.of(PlanCatalog.defaults(), Map.of("gold", nine)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown plan 'gold'")
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("plans.gold");
    assertThatThrownBy(
            () ->
                PriceCatalog.defaults().requireMeters(List.of("files", "storage_bytes", "tokens")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown meter 'api_calls'")
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("plans.starter.prices.charges[3].meter");
    assertThat(
            PriceCatalog.defaults().requireMeters(List.of("files", "storage_bytes", "api_calls")))
        .isSameAs(PriceCatalog.defaults());
    assertThatThrownBy(() -> PriceCatalog.defaults().requirePrices("gold"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("plan 'gold' has no prices");
  }

  @Test
  void theLimitsAreStillCheckedByTheQuotaReader() {
    assertThatThrownBy(
            () ->
                PriceCatalog.fromYaml(
                    "plans:\n  team:\n    limits: {x: {kind: gauge}}\n", "plans.yaml"))
        .isInstanceOf(InvalidPlanCatalogException.class)
        .hasMessage("plans.yaml: plans.team.limits.x.limit: is required");
  }

  @Test
  void aPlanBuiltInJavaIsCheckedTheSameWay() {
    PlanCatalog limits =
        PlanCatalog.builder()
            .plan(
                Plan.builder("team")
                    .limit("calls", LimitSpec.allowance(100, ResetPeriod.MONTH))
                    .build())
            .build();
    PlanCharge overage =
        PlanCharge.overage(
            Charge.usage("calls", "calls", Aggregation.SUM, new StandardPrice(BigDecimal.ONE)),
            "calls");
    assertThatThrownBy(
            () ->
                PriceCatalog.of(
                    limits, Map.of("team", PlanPrices.of("USD", BillingInterval.MONTH, overage))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the limit is hard")
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("plans.team.prices.charges[0].limit");
    assertThatThrownBy(
            () -> PlanCharge.overage(Charge.flat("base", new FlatPrice(BigDecimal.ONE)), "calls"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("an overage charge prices a meter's usage");
  }
}
