package dev.tenantkit.billing.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeFee;
import dev.tenantkit.billing.price.PriceModel;
import dev.tenantkit.billing.price.PriceModels;
import dev.tenantkit.billing.price.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds the reference systems' worked examples to our models in their catalog form: price models
 * through {@link PriceModels#read}, charges and plans through {@link PriceCatalog#fromJson}, so the
 * JSON a host writes is what is checked. JSON is written with single quotes for readability.
 */
final class Reference {
  private Reference() {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** A price model from its catalog JSON. */
  static PriceModel model(String json) {
    try {
      return PriceModels.read(JSON.readTree(json.replace('\'', '"')), "reference.price");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The precise fee of a model for a quantity. */
  static BigDecimal bill(PriceModel model, String quantity) {
    return model.price(Usage.of(new BigDecimal(quantity))).amount();
  }

  /** The precise fee of a model priced per transaction, for these transactions in order. */
  static BigDecimal billTransactions(PriceModel model, String... amounts) {
    List<BigDecimal> list = Arrays.stream(amounts).map(BigDecimal::new).toList();
    return model.price(Usage.transactions(list)).amount();
  }

  /**
   * A plan version from the {@code prices} section of a catalog (currency, interval, charges), read
   * by {@link PriceCatalog#fromJson} as plan {@code id}, version 1.
   */
  static PlanVersion plan(String id, String pricesJson) {
    String catalog = "{'plans': {'" + id + "': {'limits': {}, 'prices': " + pricesJson + "}}}";
    PriceCatalog c = PriceCatalog.fromJson(catalog.replace('\'', '"'), "reference.json");
    return PlanVersion.of(id, 1, c.requirePrices(id));
  }

  /** The one charge of a monthly plan in {@code currency}, from its catalog JSON. */
  static Charge charge(String currency, String chargeJson) {
    return plan("example", "{'currency': '" + currency + "', 'charges': [" + chargeJson + "]}")
        .priceCharges()
        .get(0);
  }

  /** A charge's total for a quantity over a whole period. */
  static ChargeFee price(Charge charge, String quantity) {
    return charge.price(Usage.of(new BigDecimal(quantity)), BigDecimal.ONE);
  }

  /** An amount rounded to the currency as an invoice line rounds it (half-up). */
  static Money rounded(BigDecimal amount, String currency) {
    return Money.of(amount, Money.currency(currency)).rounded();
  }

  /** Money of a decimal text. */
  static Money money(String amount, String currency) {
    return Money.of(amount, currency);
  }

  /** {@code days / of} kept to 12 decimals half-up: the proration ratio of docs/billing.md. */
  static BigDecimal ratio(long days, long of) {
    return BigDecimal.valueOf(days).divide(BigDecimal.valueOf(of), 12, RoundingMode.HALF_UP);
  }
}
