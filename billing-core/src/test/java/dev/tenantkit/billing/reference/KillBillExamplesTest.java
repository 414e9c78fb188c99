package dev.tenantkit.billing.reference;

import static dev.tenantkit.billing.reference.Reference.bill;
import static dev.tenantkit.billing.reference.Reference.model;
import static dev.tenantkit.billing.reference.Reference.money;
import static dev.tenantkit.billing.reference.Reference.plan;
import static dev.tenantkit.billing.reference.Reference.rounded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.CreditNoteMethod;
import dev.tenantkit.billing.invoice.CreditNoteReason;
import dev.tenantkit.billing.invoice.CreditNoteRequest;
import dev.tenantkit.billing.invoice.CreditNotes;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceCalculator;
import dev.tenantkit.billing.invoice.InvoiceNumber;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.PriceModel;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.subscription.BillingAlignment;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.PlanChange;
import dev.tenantkit.billing.subscription.Proration;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.TenantId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Kill Bill's worked examples, from its user guide and tutorials (killbill/killbill-docs, published
 * at https://docs.killbill.io/latest/), fed to our models in their catalog JSON form. A Kill Bill
 * tier of blocks ({@code size}, {@code max} blocks, a block price) is a tier with {@code
 * block_size} and {@code up_to = from + max x size}; {@code ALL_TIER} is our graduated model and
 * {@code TOP_TIER} our volume model.
 */
class KillBillExamplesTest {
  private static final TenantId ACME = TenantId.of("acme");

  @Nested
  class ConsumableInArrear {

    /** cell-phone-minutes: blocks of 10, 100 blocks at 1.00 EUR, then 0.50 EUR. */
    private static final String MINUTES_TIERS =
        "'tiers':[{'up_to':'1000','block_size':'10','block_price':'1.00'},"
            + "{'block_size':'10','block_price':'0.50'}]";

    /** Mbytes: blocks of 1, 1,024 blocks at 0.5 EUR, then 0.1 EUR. */
    private static final String MBYTES_TIERS =
        "'tiers':[{'up_to':'1024','block_size':'1','block_price':'0.5'},"
            + "{'block_size':'1','block_price':'0.1'}]";

    // https://docs.killbill.io/latest/userguide_subscription.html, "Consumable In Arrear Mode:
    // ALL_TIER" (catalog-usage.adoc): with 1500 cell-phone-minutes and 2048 Mbytes "The total
    // amount would be 739.4": "Tier 1: 100 blocks of size 10 at 1 EUR => 100 EUR", "Tier 2: 50
    // blocks of size 10 at 0.5 EUR => 25 EUR", "Tier 1: 1024 blocks of size 1 at 0.5 EUR =>
    // 512", "Tier 2: 1024 blocks of size 1 at 0.1 EUR => 102.4". Each unit is its own charge.
    @Test
    void allTier() {
      PriceModel minutes = model("{'type':'graduated'," + MINUTES_TIERS + "}");
      PriceModel mbytes = model("{'type':'graduated'," + MBYTES_TIERS + "}");
      assertThat(bill(minutes, "1500")).isEqualByComparingTo("125");
      assertThat(bill(mbytes, "2048")).isEqualByComparingTo("614.4");
      assertThat(bill(minutes, "1500").add(bill(mbytes, "2048"))).isEqualByComparingTo("739.4");
    }

    // Same page, "Consumable In Arrear Mode: TOP_TIER": "cell-phone-minutes: 150 blocks of size 10
    // at 0.50 EUR = 150 * 0.5 = 75", "Mbytes: 2048 blocks of size 1 at 0.10 EUR = 2048 * 0.1 =
    // 204.8", "So the total amount would be 279.8."
    @Test
    void topTier() {
      PriceModel minutes = model("{'type':'volume'," + MINUTES_TIERS + "}");
      PriceModel mbytes = model("{'type':'volume'," + MBYTES_TIERS + "}");
      assertThat(bill(minutes, "1500")).isEqualByComparingTo("75");
      assertThat(bill(mbytes, "2048")).isEqualByComparingTo("204.8");
      assertThat(bill(minutes, "1500").add(bill(mbytes, "2048"))).isEqualByComparingTo("279.8");
    }

    // https://docs.killbill.io/latest/consumable_in_arrear.html: "The first 5 videos (streamed
    // during the month) will be invoiced at $2/video", "The next videos ... at $1/video"; Louis
    // "watched 13 videos during his first month" and gets "A USAGE item for a price of $18 (= 5 *
    // 2 + 8 * 1)". (The tutorial bounds its second tier at 10,000 blocks, "arbitrary number large
    // enough that ensures it will not be met"; our last tier is open-ended.)
    @Test
    void chocolateVideos() {
      PriceModel videos =
          model(
              "{'type':'graduated','tiers':[{'up_to':'5','block_size':'1','block_price':'2'},"
                  + "{'block_size':'1','block_price':'1'}]}");
      assertThat(bill(videos, "13")).isEqualByComparingTo("18");
    }
  }

  @Nested
  class CapacityInArrear {

    // https://docs.killbill.io/latest/userguide_subscription.html, "Capacity In Arrear Mode": a
    // tier with limits bandwith-meg-sec max 100 and members max 500 at 5.00 EUR; with "A peak of
    // 50" and "A peak of 350 active members" "The user would be charged 5.00 EUR", and "if the
    // members peak data was 501, this would move to the next tier". A charge of ours has one
    // meter, so each unit is a capacity charge of its own; the next tier's price is not shown on
    // the page (20 here).
    @Test
    void thePeakChoosesTheTier() {
      PriceModel members =
          model("{'type':'capacity','tiers':[{'up_to':'500','price':'5.00'},{'price':'20'}]}");
      PriceModel bandwidth =
          model("{'type':'capacity','tiers':[{'up_to':'100','price':'5.00'},{'price':'20'}]}");
      assertThat(bill(members, "350")).isEqualByComparingTo("5.00");
      assertThat(bill(bandwidth, "50")).isEqualByComparingTo("5.00");
      assertThat(bill(members, "501")).isEqualByComparingTo("20");
    }
  }

  @Nested
  class BillCycleDayProration {
    // https://docs.killbill.io/latest/catalog-examples.html, "Account Billing Alignment": the
    // standard-monthly plan at $24.95 a month (and an add-on at $17.95). Kill Bill prorates a stub
    // by its days over the days of the billing period it falls in, as we do (docs/billing.md,
    // Billing periods).

    private PlanVersion monthly(String id, String fee) {
      return plan(
          id,
          "{'currency':'USD','charges':[{'code':'recurring','price':{'type':'flat','amount':'"
              + fee
              + "'},'timing':'advance','prorated':true}]}");
    }

    private Subscription subscription(PlanVersion plan, String start, int billCycleDay) {
      return Subscription.builder(ACME, plan, Instant.parse(start + "T08:00:00Z"))
          .alignment(BillingAlignment.billCycleDay(billCycleDay))
          .trialDays(0)
          .build();
    }

    private Money firstInvoice(PlanVersion plan, String start, int billCycleDay) {
      Subscription s = subscription(plan, start, billCycleDay);
      BillingPeriod first = s.periods().first();
      Charge fee = plan.priceCharges().get(0);
      return rounded(fee.price(Usage.NONE, s.billedFraction(first)).total(), "USD");
    }

    // Case 2: "Specify BCD as 25", "Create a subscription on 2021-09-16": "Invoice generated for
    // $7.24 for 2021-09-16 to 2021-09-25 (prorated)"; then "Invoice generated for $24.95 for
    // 2021-09-25 to 2021-10-25". 9 of the 31 days from August 25th.
    @Test
    void accountWithBillCycleDay() {
      PlanVersion standard = monthly("standard-monthly", "24.95");
      Subscription s = subscription(standard, "2021-09-16", 25);
      BillingPeriod first = s.periods().first();
      assertThat(first.start()).isEqualTo(LocalDate.parse("2021-09-16"));
      assertThat(first.end()).isEqualTo(LocalDate.parse("2021-09-25"));
      assertThat(firstInvoice(standard, "2021-09-16", 25)).isEqualTo(money("7.24", "USD"));
      BillingPeriod next = s.periods().next(first);
      assertThat(next.end()).isEqualTo(LocalDate.parse("2021-10-25"));
      assertThat(
              rounded(
                  standard.priceCharges().get(0).price(Usage.NONE, s.billedFraction(next)).total(),
                  "USD"))
          .isEqualTo(money("24.95", "USD"));
    }

    // Case 3: BCD 17 from the first subscription; a second one from 2021-09-25: "Invoice generated
    // for $18.30 for 2021-09-25 to 2021-10-17 (Prorated since BCD is 17)". 22 of 30 days.
    @Test
    void secondSubscriptionAlignedToTheFirst() {
      assertThat(firstInvoice(monthly("standard-monthly", "24.95"), "2021-09-25", 17))
          .isEqualTo(money("18.30", "USD"));
    }

    // Case 4: BCD 25: "Invoice generated for $6.44 for 2021-09-17 to 2021-09-25 (Prorated since
    // BCD is 25)" (8 of 31 days) and "Invoice generated for $20.79 for 2021-09-30 to 2021-10-25
    // (Prorated since BCD is 25)" (25 of 30 days).
    @Test
    void twoSubscriptionsOnABillCycleDay() {
      PlanVersion standard = monthly("standard-monthly", "24.95");
      assertThat(firstInvoice(standard, "2021-09-17", 25)).isEqualTo(money("6.44", "USD"));
      assertThat(firstInvoice(standard, "2021-09-30", 25)).isEqualTo(money("20.79", "USD"));
    }

    // "Bundle Billing Alignment": the remotecontrol-monthly add-on at $17.95 from 2021-09-30 on a
    // bundle billed on the 20th: "Invoice generated for $11.97 for 2021-09-30 to 2021-10-20
    // corresponding to the remotecontrol-monthly plan" (20 of 30 days).
    @Test
    void addOnAlignedToItsBundle() {
      assertThat(firstInvoice(monthly("remotecontrol-monthly", "17.95"), "2021-09-30", 20))
          .isEqualTo(money("11.97", "USD"));
    }
  }

  @Nested
  class PlanChangeAndCredit {

    // https://docs.killbill.io/latest/invoice_subsystem.html: the subscription moves on 2012-05-02
    // to blowdart-monthly at $9.95, whose RECURRING item runs "start_date: 2012-05-02", "end_date:
    // 2012-06-01", "amount: 9.630000000", "rate: 9.950000000": the change day and the 29 days
    // after it, 30 of May's 31 days. (The same page's credit, "$239.95 - $9.63 (pro-rated) =
    // $230.32", follows from an earlier $10 item adjustment and Kill Bill's repair of the whole
    // old item; it is not reproduced.)
    @Test
    void theNewPlanIsBilledFromTheChangeDay() {
      PlanVersion shotgun =
          plan(
              "shotgun-monthly",
              "{'currency':'USD','charges':[{'code':'recurring','price':{'type':'flat',"
                  + "'amount':'249.95'},'timing':'advance'}]}");
      PlanVersion blowdart =
          plan(
              "blowdart-monthly",
              "{'currency':'USD','charges':[{'code':'recurring','price':{'type':'flat',"
                  + "'amount':'9.95'},'timing':'advance'}]}");
      Subscription s =
          Subscription.builder(ACME, shotgun, Instant.parse("2012-05-01T00:01:14Z"))
              .trialDays(0)
              .build();
      PlanChange c =
          Proration.change(s, shotgun, blowdart, Instant.parse("2012-05-02T00:37:59Z"), true);
      assertThat(c.remainingDays()).isEqualTo(30);
      assertThat(c.charges()).singleElement().satisfies(l -> assertThat(l.days()).isEqualTo(30));
      assertThat(c.chargeTotal()).isEqualTo(money("9.63", "USD"));
    }

    // https://docs.killbill.io/latest/invoice_examples.html, "Add Account Credit": a credit of $20,
    // then "an external charge is created for $100": "INVOICE BALANCE = CHARGED AMOUNT +
    // SUM(CBA_ADJ) - (AMOUNT PAID + AMOUNT REFUNDED) = 100 + (-20) - (0 + 0) = 80". Kill Bill adds
    // no tax there; the tenant here is tax exempt.
    @Test
    void accountCreditLowersTheNextInvoice() {
      Charge external =
          plan(
                  "external",
                  "{'currency':'USD','charges':[{'code':'external_charge',"
                      + "'price':{'type':'flat','amount':'100'},'timing':'advance'}]}")
              .priceCharges()
              .get(0);
      Invoice invoice =
          InvoiceCalculator.standard()
              .calculate(
                  InvoiceRequest.builder(
                          "inv-kb",
                          ACME,
                          Money.currency("USD"),
                          InvoicePeriod.month(2026, 1),
                          LocalDate.of(2026, 2, 1))
                      .usage(external, Usage.NONE)
                      .taxRate(TaxRate.EXEMPT)
                      .creditBalance(money("20", "USD"))
                      .build());
      assertThat(invoice.total()).isEqualTo(money("100.00", "USD"));
      assertThat(invoice.creditNotesApplied()).isEqualTo(money("20.00", "USD"));
      assertThat(invoice.amountDue()).isEqualTo(money("80.00", "USD"));
    }

    // https://docs.killbill.io/latest/invoice_examples.html, "Invoice item adjustment when invoice
    // is paid": a paid $100 RECURRING item adjusted for $10: "CHARGED AMOUNT = ... 100 + ... +
    // (-10)
    // ... = 90", with "another invoice item of type CBA_ADJ and amount 10 ... The addition of this
    // positive CBA_ADJ item represents a credit generation", and "Refund with invoice item
    // adjustment": the $10 "is refunded to the customer". A finalized invoice never changes here:
    // the adjustment is a credit note of $10 on the line, credited back or refunded.
    @Test
    void anItemAdjustmentIsACreditNoteOnTheLine() {
      Charge recurring =
          plan(
                  "recurring",
                  "{'currency':'USD','charges':[{'code':'recurring',"
                      + "'price':{'type':'flat','amount':'100'},'timing':'advance'}]}")
              .priceCharges()
              .get(0);
      Invoice paid =
          InvoiceCalculator.standard()
              .calculate(
                  InvoiceRequest.builder(
                          "inv-kb-adj",
                          ACME,
                          Money.currency("USD"),
                          InvoicePeriod.month(2012, 5),
                          LocalDate.of(2012, 5, 1))
                      .usage(recurring, Usage.NONE)
                      .taxRate(TaxRate.EXEMPT)
                      .build())
              .finalizeAs(new InvoiceNumber("KB", 2012, 2), LocalDate.of(2012, 5, 2))
              .moveTo(InvoiceStatus.PAID);
      for (CreditNoteMethod method : CreditNoteMethod.values()) {
        CreditNote note =
            CreditNotes.issue(
                paid,
                List.of(),
                CreditNoteRequest.lines(
                    "cn-" + method,
                    LocalDate.of(2012, 5, 2),
                    CreditNoteReason.OTHER,
                    "item adjustment",
                    method,
                    Map.of(0, money("10", "USD"))));
        assertThat(note.total()).isEqualTo(money("10.00", "USD"));
        assertThat(paid.total().minus(note.total())).isEqualTo(money("90.00", "USD"));
        assertThat(method == CreditNoteMethod.REFUND ? note.refunded() : note.creditedBack())
            .isEqualTo(money("10.00", "USD"));
      }
    }
  }
}
