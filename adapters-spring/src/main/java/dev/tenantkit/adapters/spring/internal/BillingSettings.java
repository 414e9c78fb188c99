package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.adapters.spring.TenantkitBillingProperties;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;

/**
 * Turns the {@code tenantkit.billing.*} properties into billing-core's values and checks them and
 * the price catalog against each other and the meters. Every problem is an {@link
 * InvalidPropertyException} naming the property. Stateless.
 */
public final class BillingSettings {
  private static final String PREFIX = "tenantkit.billing.";
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private BillingSettings() {}

  /**
   * The issuer of {@code tenantkit.billing.issuer.*}: a name and at least one address line are
   * required.
   *
   * @throws InvalidPropertyException if the name or address is missing, or the prefix is invalid
   */
  public static Issuer issuer(TenantkitBillingProperties.Issuer p) {
    if (p.name() == null || p.name().isBlank()) {
      throw new InvalidPropertyException(
          PREFIX + "issuer.name",
          "is required with billing on: the legal name printed on every invoice");
    }
    if (p.address().isEmpty() || p.address().stream().anyMatch(l -> l == null || l.isBlank())) {
      throw new InvalidPropertyException(
          PREFIX + "issuer.address",
          "is required with billing on: the postal address printed on every invoice, one"
              + " non-blank line per entry (tenantkit.billing.issuer.address[0]=1 Main Street)");
    }
    return InvalidPropertyException.check(
        PREFIX + "issuer.number-prefix",
        () ->
            new Issuer(
                p.name().strip(),
                p.address().stream().map(String::strip).toList(),
                p.taxId(),
                p.numberPrefix()));
  }

  /**
   * The tax rate of {@code tenantkit.billing.tax-rate}.
   *
   * @throws InvalidPropertyException if it is not 0 to 100
   */
  public static TaxRate taxRate(BigDecimal percent) {
    if (percent == null || percent.signum() < 0 || percent.compareTo(HUNDRED) > 0) {
      throw new InvalidPropertyException(
          PREFIX + "tax-rate", "must be a percentage from 0 to 100, such as 10, was " + percent);
    }
    return TaxRate.of(percent);
  }

  /**
   * Checks that every priced plan is priced in {@code code}, when it is set.
   *
   * @throws InvalidPropertyException if the code is not an ISO 4217 code, or a plan is priced in
   *     another currency
   */
  public static void requireCurrency(PriceCatalog catalog, String code) {
    Currency currency = currency(code);
    if (currency == null) {
      return;
    }
    for (Map.Entry<String, PlanPrices> e : catalog.prices().entrySet()) {
      if (!e.getValue().currency().equals(currency)) {
        throw new InvalidPropertyException(
            PREFIX + "currency",
            "is "
                + currency
                + ", but the plan catalog prices plan '"
                + e.getKey()
                + "' in "
                + e.getValue().currency());
      }
    }
  }

  private static Currency currency(String code) {
    if (code == null || code.isBlank()) {
      return null;
    }
    try {
      Currency c = Currency.getInstance(code.strip());
      if (!c.getCurrencyCode().equals(code.strip())) {
        throw new IllegalArgumentException(code);
      }
      return c;
    } catch (IllegalArgumentException e) {
      throw new InvalidPropertyException(
          PREFIX + "currency",
          "is '" + code + "', which is not an ISO 4217 currency code such as USD or EUR",
          e);
    }
  }

  /**
   * Checks that every charge's meter is declared: a charge on an undeclared meter would fail every
   * invoice, so it stops startup instead.
   *
   * @throws InvalidPropertyException naming {@code tenantkit.billing.enabled} if one is not
   */
  public static void requireMeters(PriceCatalog catalog, MeterCatalog meters) {
    try {
      catalog.requireMeters(meters.all().stream().map(MeterDefinition::name).toList());
    } catch (InvalidInputException e) {
      throw new InvalidPropertyException(
          PREFIX + "enabled",
          "is true, but the price catalog's "
              + e.field()
              + " names a meter the meter catalog does not declare: "
              + e.getMessage()
              + ". Declare it in the application's MeterCatalog bean (the default plans bill"
              + " 'files', a LATEST gauge of the files a tenant holds), or price another meter",
          e);
    }
  }
}
