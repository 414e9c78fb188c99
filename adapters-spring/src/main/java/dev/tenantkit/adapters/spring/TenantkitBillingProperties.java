package dev.tenantkit.adapters.spring;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * The {@code tenantkit.billing.*} properties, read by {@link TenantkitBillingAutoConfiguration}.
 * They only feed billing-core's builders; what is valid is checked there or in the
 * auto-configuration, which names the offending property when startup fails. The prices come from
 * the plan catalog the quotas read ({@code tenantkit.quotas.catalog-location}, else the default
 * plans), not from here. Immutable and thread-safe.
 *
 * <p>The {@code @param} texts below are also the descriptions IDEs show (Spring Boot's
 * configuration metadata), so they are plain sentences. The finalization is bound from {@code
 * tenantkit.billing.finalize.*} ({@code finalize} cannot name a record component).
 *
 * @param enabled Whether to configure billing (subscriptions, invoices, billing runs and their HTTP
 *     routes). Off by default: it needs the issuer's details, adds routes under /api and the
 *     operator API, makes the quota enforcer read the price catalog's limits (soft where a plan
 *     bills overage) and keeps raw usage events for at least 45 days.
 * @param currency ISO 4217 code (such as USD) every priced plan of the catalog must be priced in;
 *     unset: any currency the catalog names.
 * @param taxRate Tax rate in percent applied to every tenant's invoices, 0 to 100.
 * @param grace How long a billing run's drafts stay open after their period ends, so late usage is
 *     included, before they are finalized and numbered. Zero or more.
 * @param issuer Who issues the invoices.
 * @param subscribeOnCreate Whether a tenant created with a priced plan is subscribed to that plan's
 *     latest version at once, so it has a subscription to bill.
 * @param readScope Scope a credential needs for the tenant's billing GET routes.
 * @param writeScope Scope a credential needs to change the tenant's subscription.
 * @param finalizeDue The scheduled finalization of drafts whose grace period is over.
 */
@ConfigurationProperties("tenantkit.billing")
public record TenantkitBillingProperties(
    @DefaultValue("false") boolean enabled,
    String currency,
    @DefaultValue("10") BigDecimal taxRate,
    @DefaultValue("3d") Duration grace,
    @DefaultValue Issuer issuer,
    @DefaultValue("true") boolean subscribeOnCreate,
    @DefaultValue("billing:read") String readScope,
    @DefaultValue("billing:write") String writeScope,
    @Name("finalize") @DefaultValue Finalize finalizeDue) {

  /**
   * Who issues the invoices, {@code tenantkit.billing.issuer.*}, printed on every invoice.
   *
   * @param name Legal name of the issuer. Required when billing is on.
   * @param address Postal address of the issuer, one entry per printed line. Required when billing
   *     is on.
   * @param taxId Tax (VAT, GST, EIN) id of the issuer, if it has one.
   * @param numberPrefix Prefix of the invoice numbers, 1 to 10 capital letters or digits starting
   *     with a letter, such as TK (TK-2026-000042).
   */
  public record Issuer(
      String name, List<String> address, String taxId, @DefaultValue("TK") String numberPrefix) {

    /** Replaces an absent address with an empty one and copies the rest. */
    public Issuer {
      address = address == null ? List.of() : List.copyOf(address);
    }
  }

  /**
   * The scheduled finalization, {@code tenantkit.billing.finalize.*}: drafts of billing runs whose
   * grace period is over are re-billed with the usage that arrived late, then finalized and
   * numbered. Instances sharing one database take turns through a database lease.
   *
   * @param enabled Whether to finalize due drafts on a schedule; false when the host calls
   *     Billing.finalizeDue() itself.
   * @param interval Time between two finalization passes; the first is one interval after startup.
   */
  public record Finalize(
      @DefaultValue("true") boolean enabled, @DefaultValue("1h") Duration interval) {}
}
