package dev.tenantkit.billing.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.billing.plan.testkit.EveryPriceOption;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link PriceModels#write}: what it writes reads back as an equal model, for every option. */
class PriceModelsWriteTest {

  static List<PriceModel> everyModelWithEveryOption() {
    return EveryPriceOption.models();
  }

  @Test
  void everyModelWithEveryOptionReadsBackEqual() {
    for (PriceModel model : everyModelWithEveryOption()) {
      ObjectNode written = PriceModels.write(model);
      assertThat(PriceModels.read(written, "price")).as(written.toString()).isEqualTo(model);
      // Written a second time the same: the form is canonical.
      assertThat(PriceModels.write(PriceModels.read(written, "price"))).isEqualTo(written);
    }
  }

  /**
   * The examples above set every field the reader knows, so a field the writer forgot would show
   * here (and a new model or option without an example too).
   */
  @Test
  void theExamplesCoverEveryTypeAndField() {
    Map<String, Set<String>> fields = new TreeMap<>();
    for (PriceModel model : everyModelWithEveryOption()) {
      ObjectNode written = PriceModels.write(model);
      Set<String> seen = fields.computeIfAbsent(model.type(), t -> new TreeSet<>());
      written.fieldNames().forEachRemaining(seen::add);
      for (JsonNode tier : written.path("tiers")) {
        tier.fieldNames().forEachRemaining(f -> seen.add("tiers." + f));
      }
    }
    assertThat(fields)
        .isEqualTo(
            Map.of(
                "standard", Set.of("type", "unit_price"),
                "flat", Set.of("type", "amount"),
                "graduated", tierFields(),
                "volume", tierFields(),
                "package", Set.of("type", "package_size", "amount", "free_units", "round_down"),
                "percentage",
                    Set.of(
                        "type",
                        "rate",
                        "fixed_fee",
                        "free_transactions",
                        "free_amount",
                        "min_per_transaction",
                        "max_per_transaction"),
                "graduated_percentage",
                    Set.of(
                        "type",
                        "tiers",
                        "tiers.from",
                        "tiers.up_to",
                        "tiers.rate",
                        "tiers.flat_fee"),
                "dynamic", Set.of("type", "multiplier"),
                "capacity", Set.of("type", "tiers", "tiers.up_to", "tiers.price")));
  }

  private static Set<String> tierFields() {
    return Set.of(
        "type",
        "tiers",
        "tiers.from",
        "tiers.up_to",
        "tiers.unit_price",
        "tiers.flat_fee",
        "tiers.block_size",
        "tiers.block_price");
  }

  @Test
  void decimalsAreWrittenAsPlainStrings() {
    ObjectNode written =
        PriceModels.write(
            new PercentagePrice(
                new BigDecimal("1.2"),
                new BigDecimal("0.10"),
                3,
                new BigDecimal("500"),
                null,
                null));
    assertThat(written.toString())
        .isEqualTo(
            "{\"type\":\"percentage\",\"rate\":\"1.2\",\"fixed_fee\":\"0.1\","
                + "\"free_transactions\":3,\"free_amount\":\"500\"}");
    assertThat(
            PriceModels.write(new StandardPrice(new BigDecimal("1E+3")))
                .get("unit_price")
                .textValue())
        .isEqualTo("1000");
  }

  @Test
  void aModelOfAnotherPackageHasNoCatalogForm() {
    PriceModel foreign =
        new PriceModel() {
          @Override
          public String type() {
            return "mine";
          }

          @Override
          public Fee price(Usage usage) {
            return new Fee(BigDecimal.ZERO, new ArrayList<>());
          }
        };
    assertThatThrownBy(() -> PriceModels.write(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'mine'")
        .hasMessageContaining("no catalog form");
  }
}
