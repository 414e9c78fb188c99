package dev.tenantkit.billing.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.billing.plan.testkit.EveryPriceOption;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A plan's prices in the catalog's form: written, then read back equal. */
class PlanPricesJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyChargeOptionAndModelReadsBackEqual() {
    PlanPrices prices = EveryPriceOption.prices();
    ObjectNode written = PlanPricesJson.write(prices);
    assertThat(PlanPricesJson.read(written, "test")).isEqualTo(prices);
    assertThat(PlanPricesJson.write(PlanPricesJson.read(written, "test"))).isEqualTo(written);
  }

  @Test
  void theDefaultPlansReadBackEqual() {
    for (Map.Entry<String, PlanPrices> e : PriceCatalog.defaults().prices().entrySet()) {
      PlanPrices read = PlanPricesJson.read(PlanPricesJson.write(e.getValue()), e.getKey());
      assertThat(read).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(read.fingerprint()).isEqualTo(e.getValue().fingerprint());
    }
  }

  /** The stored form is the catalog's: field names of the catalog file, no Java names. */
  @Test
  void theFormIsTheCatalogsPricesSection() throws Exception {
    PlanPrices starter = PriceCatalog.defaults().prices().get("starter");
    JsonNode written = PlanPricesJson.write(starter);
    assertThat(written.get("currency").textValue()).isEqualTo("USD");
    assertThat(written.get("interval").textValue()).isEqualTo("month");
    JsonNode first = written.get("charges").get(0);
    assertThat(first.get("code").textValue()).isEqualTo(starter.charges().get(0).code());
    assertThat(first.get("price").get("type").textValue()).isNotBlank();
    assertThat(JSON.writeValueAsString(written))
        .doesNotContain("dev.tenantkit")
        .doesNotContain("@");
  }

  /**
   * The fingerprint is the SHA-256 of the stored form, not of Java names: pinned here for one plan,
   * so a change of the stored form (which needs a new schema version) or of the fingerprint shows.
   */
  @Test
  void theFingerprintIsOfTheStoredForm() {
    PlanPrices prices =
        PlanPrices.of(
            "USD",
            BillingInterval.MONTH,
            PlanCharge.of(Charge.flat("subscription", new FlatPrice(new BigDecimal("29.00")))));
    assertThat(PlanPricesJson.write(prices).toString())
        .isEqualTo(
            "{\"currency\":\"USD\",\"interval\":\"month\",\"charges\":[{\"code\":"
                + "\"subscription\",\"price\":{\"type\":\"flat\",\"amount\":\"29\"},"
                + "\"timing\":\"advance\",\"prorated\":true,\"rounding\":{\"mode\":\"none\","
                + "\"precision\":0},\"free_units\":\"0\",\"discount_percent\":\"0\","
                + "\"minimum\":\"0\",\"unit\":\"1\"}]}");
    // sha256 of exactly that text (checked outside Java too).
    assertThat(prices.fingerprint())
        .isEqualTo("sha256:355e115991cf82e78ded7c10edb4df3c043301e07b82d02841bfb221990b3e14");
  }

  @Test
  void aUsageChargeWithoutItsAggregationIsRefusedWithoutTheCatalogsLimits() throws Exception {
    JsonNode prices =
        JSON.readTree(
            "{\"currency\":\"USD\",\"charges\":[{\"code\":\"files\",\"limit\":\"files\","
                + "\"price\":{\"type\":\"standard\",\"unit_price\":\"0.5\"}}]}");
    assertThatThrownBy(() -> PlanPricesJson.read(prices, "stored"))
        .isInstanceOf(InvalidPriceCatalogException.class)
        .hasMessageContaining("prices.charges[0].aggregation");
  }
}
