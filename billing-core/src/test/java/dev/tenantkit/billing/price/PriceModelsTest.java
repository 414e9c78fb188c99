package dev.tenantkit.billing.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceModelsTest {
  static final String PATH = "plans.pro.charges[2].price";
  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  static PriceModel read(String json) {
    try {
      return PriceModels.read(JSON.readTree(json.replace('\'', '"')), PATH);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static BigDecimal bill(PriceModel model, String quantity) {
    return model.price(Usage.of(new BigDecimal(quantity))).amount();
  }

  @Test
  void readsStandardAndFlat() {
    assertThat(read("{'type':'standard','unit_price':'0.50'}"))
        .isEqualTo(new StandardPrice(new BigDecimal("0.5")));
    assertThat(read("{'type':'flat','amount':29}")).isEqualTo(new FlatPrice(new BigDecimal("29")));
    assertThat(read("{'type':'standard','unit_price':0.1}"))
        .isEqualTo(new StandardPrice(new BigDecimal("0.1")));
  }

  @Test
  void readsGraduatedTiersWithImpliedFrom() {
    PriceModel m =
        read(
            "{'type':'graduated','tiers':[{'up_to':'100','unit_price':'0.1','flat_fee':'2'},"
                + "{'up_to':null,'unit_price':'0.05'}]}");
    assertThat(m)
        .isEqualTo(
            GraduatedPrice.of(
                Tier.perUnit("0", "100", "0.1", "2"), Tier.perUnit("100", null, "0.05", "0")));
    assertThat(bill(m, "150")).isEqualByComparingTo("14.5");
  }

  @Test
  void readsVolumeTiersOfBlocksWithExplicitFrom() {
    PriceModel m =
        read(
            "{'type':'volume','tiers':[{'from':'0','up_to':'1000','block_size':'100','block_price':'5'},"
                + "{'from':'1000','block_size':'1000','block_price':'30'}]}");
    assertThat(m)
        .isEqualTo(
            VolumePrice.of(
                Tier.perBlock("0", "1000", "100", "5"), Tier.perBlock("1000", null, "1000", "30")));
  }

  @Test
  void readsPackage() {
    PriceModel m = read("{'type':'package','package_size':'100','amount':'5','free_units':'100'}");
    assertThat(bill(m, "201")).isEqualByComparingTo("10");
    PriceModel down = read("{'type':'package','package_size':100,'amount':'5','round_down':true}");
    assertThat(bill(down, "199")).isEqualByComparingTo("5");
  }

  @Test
  void readsPercentage() {
    PriceModel m =
        read(
            "{'type':'percentage','rate':'1.2','fixed_fee':'0.10','free_transactions':3,"
                + "'free_amount':'500','min_per_transaction':'0.5','max_per_transaction':'9'}");
    assertThat(m)
        .isEqualTo(
            new PercentagePrice(
                new BigDecimal("1.2"),
                new BigDecimal("0.1"),
                3,
                new BigDecimal("500"),
                new BigDecimal("0.5"),
                new BigDecimal("9")));
    assertThat(read("{'type':'percentage','rate':'2'}")).isEqualTo(PercentagePrice.of("2"));
  }

  @Test
  void readsGraduatedPercentageDynamicAndCapacity() {
    PriceModel gp =
        read(
            "{'type':'graduated_percentage','tiers':[{'up_to':'1000','rate':'1','flat_fee':'200'},"
                + "{'up_to':'10000','rate':'2','flat_fee':'300'},{'rate':'3','flat_fee':'400'}]}");
    assertThat(bill(gp, "5050")).isEqualByComparingTo("591");
    assertThat(read("{'type':'dynamic'}")).isEqualTo(DynamicPrice.of());
    assertThat(read("{'type':'dynamic','multiplier':'1.2'}"))
        .isEqualTo(new DynamicPrice(new BigDecimal("1.2")));
    PriceModel cap =
        read("{'type':'capacity','tiers':[{'up_to':'10','price':'100'},{'price':'1000'}]}");
    assertThat(cap)
        .isEqualTo(CapacityPrice.of(CapacityTier.of("10", "100"), CapacityTier.of(null, "1000")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[1]                                                                | " + PATH,
        "{}                                                                 | " + PATH + ".type",
        "{'type':'tiered'}                                                  | " + PATH + ".type",
        "{'type':'standard'}                                                | "
            + PATH
            + ".unit_price",
        "{'type':'standard','unit_price':'-1'}                              | "
            + PATH
            + ".unit_price",
        "{'type':'standard','unit_price':'abc'}                             | "
            + PATH
            + ".unit_price",
        "{'type':'standard','unit_price':'1','unit_prize':'2'}              | "
            + PATH
            + ".unit_prize",
        "{'type':'graduated'}                                               | " + PATH + ".tiers",
        "{'type':'graduated','tiers':[]}                                    | " + PATH + ".tiers",
        "{'type':'graduated','tiers':[{'up_to':'10'}]}                      | "
            + PATH
            + ".tiers[0].unit_price",
        "{'type':'graduated','tiers':[{'up_to':'10','unit_price':'1'},{'up_to':'5','unit_price':'1'}]} | "
            + PATH
            + ".tiers[1].up_to",
        "{'type':'graduated','tiers':[{'up_to':'10','unit_price':'1'},{'from':'11','unit_price':'1'}]} | "
            + PATH
            + ".tiers[1].from",
        "{'type':'graduated','tiers':[{'from':'1','unit_price':'1'}]}       | "
            + PATH
            + ".tiers[0].from",
        "{'type':'graduated','tiers':[{'unit_price':'1'},{'unit_price':'1'}]} | "
            + PATH
            + ".tiers[0].up_to",
        "{'type':'volume','tiers':[{'up_to':'10','unit_price':'1'}]}        | "
            + PATH
            + ".tiers[0].up_to",
        "{'type':'volume','tiers':[{'block_price':'1'}]}                    | "
            + PATH
            + ".tiers[0].block_size",
        "{'type':'volume','tiers':[{'block_size':'10','unit_price':'1'}]}   | "
            + PATH
            + ".tiers[0].unit_price",
        "{'type':'volume','tiers':[{'block_size':'0','block_price':'1'}]}   | "
            + PATH
            + ".tiers[0].block_size",
        "{'type':'volume','tiers':['x']}                                    | "
            + PATH
            + ".tiers[0]",
        "{'type':'package','package_size':'0','amount':'5'}                 | "
            + PATH
            + ".package_size",
        "{'type':'package','package_size':'10','amount':'5','round_down':'yes'} | "
            + PATH
            + ".round_down",
        "{'type':'percentage','rate':'101'}                                 | " + PATH + ".rate",
        "{'type':'percentage','rate':'1','free_transactions':'1.5'}         | "
            + PATH
            + ".free_transactions",
        "{'type':'percentage','rate':'1','free_transactions':-1}            | "
            + PATH
            + ".free_transactions",
        "{'type':'percentage','rate':'1','min_per_transaction':'2','max_per_transaction':'1'} | "
            + PATH
            + ".min_per_transaction",
        "{'type':'graduated_percentage','tiers':[{'rate':'200'}]}           | "
            + PATH
            + ".tiers[0].rate",
        "{'type':'dynamic','multiplier':'-1'}                               | "
            + PATH
            + ".multiplier",
        "{'type':'capacity','tiers':[{'up_to':'10','price':'1'},{'up_to':'5','price':'1'},{'price':'2'}]} | "
            + PATH
            + ".tiers[1].up_to",
        "{'type':'capacity','tiers':[{'up_to':'10'}]}                       | "
            + PATH
            + ".tiers[0].price",
      })
  void badDocumentsNameThePath(String json, String field) {
    assertThatThrownBy(() -> read(json))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void refusesANumberReadAsDouble() {
    assertThatThrownBy(
            () ->
                PriceModels.read(
                    new ObjectMapper().readTree("{\"type\":\"standard\",\"unit_price\":0.1}"),
                    PATH))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo(PATH + ".unit_price"));
  }

  @Test
  void everyModelHasItsType() {
    List<PriceModel> models =
        List.of(
            read("{'type':'standard','unit_price':'1'}"),
            read("{'type':'flat','amount':'1'}"),
            read("{'type':'graduated','tiers':[{'unit_price':'1'}]}"),
            read("{'type':'volume','tiers':[{'unit_price':'1'}]}"),
            read("{'type':'package','package_size':'1','amount':'1'}"),
            read("{'type':'percentage','rate':'1'}"),
            read("{'type':'graduated_percentage','tiers':[{'rate':'1'}]}"),
            read("{'type':'dynamic'}"),
            read("{'type':'capacity','tiers':[{'price':'1'}]}"));
    assertThat(models)
        .extracting(PriceModel::type)
        .containsExactly(
            "standard",
            "flat",
            "graduated",
            "volume",
            "package",
            "percentage",
            "graduated_percentage",
            "dynamic",
            "capacity");
  }
}
