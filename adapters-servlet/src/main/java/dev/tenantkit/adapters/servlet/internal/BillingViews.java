package dev.tenantkit.adapters.servlet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.billing.Billing;
import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.render.CreditNoteRenderer;
import dev.tenantkit.billing.invoice.render.InvoiceRenderer;
import dev.tenantkit.billing.run.BillingSummary;
import dev.tenantkit.billing.spi.BillingRunRecord;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.PlanChange;
import dev.tenantkit.billing.subscription.ProrationLine;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON forms of billing's values over HTTP (described in {@code docs/servlet.md}). Amounts are
 * strings in the currency's minor units ({@code "29.00"}), never JSON numbers, so no client reads
 * them as binary floating point. An invoice is the JSON rendering of billing-core ({@link
 * InvoiceRenderer#json()}). Stateless.
 */
public final class BillingViews {
  private static final CreditNoteRenderer CREDIT_NOTE_JSON = CreditNoteRenderer.json();

  private BillingViews() {}

  /** One invoice as billing-core renders it to JSON, with the issuer's and tenant's details. */
  public static JsonNode invoice(Billing billing, TenantId tenant, Invoice invoice) {
    return tree(InvoiceRenderer.json().render(billing.document(tenant, invoice)));
  }

  /** An invoice in a list: identity, status, period and totals. */
  public static Map<String, Object> invoiceEntry(Invoice i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id());
    m.put("tenantId", i.tenant().value());
    m.put("number", i.number() == null ? null : i.number().toString());
    m.put("status", i.status().wireName());
    m.put("periodStart", i.period().start().toString());
    m.put("periodEnd", i.period().end().toString());
    m.put("issueDate", i.issueDate().toString());
    m.put("dueDate", i.dueDate().toString());
    m.put("currency", i.currency().getCurrencyCode());
    m.put("total", amount(i.total()));
    m.put("amountDue", amount(i.amountDue()));
    return m;
  }

  /** A credit note as billing-core renders it to JSON. */
  public static JsonNode creditNote(CreditNote note) {
    return tree(CREDIT_NOTE_JSON.render(note));
  }

  /** The tenant's subscription. */
  public static Map<String, Object> subscription(Subscription s, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tenantId", s.tenant().value());
    m.put("plan", s.planId());
    m.put("planVersion", s.planVersion());
    m.put("currency", s.currency().getCurrencyCode());
    m.put("interval", s.interval().name().toLowerCase(Locale.ROOT));
    m.put("status", s.status(now).name().toLowerCase(Locale.ROOT));
    m.put("start", s.start().toString());
    m.put("trialEnd", s.trialEnd().toString());
    m.put("zone", s.zone().getId());
    m.put("alignment", s.alignment().kind().name().toLowerCase(Locale.ROOT));
    m.put("billCycleDay", s.alignment().day() == 0 ? null : s.alignment().day());
    m.put("pausedAt", s.pausedAt() == null ? null : s.pausedAt().toString());
    m.put("endsAt", s.endsAt() == null ? null : s.endsAt().toString());
    m.put(
        "pendingChange",
        s.pending() == null
            ? null
            : Map.of(
                "plan", s.pending().planId(),
                "planVersion", s.pending().planVersion(),
                "at", s.pending().at().toString()));
    return m;
  }

  /** A plan change with its proration: the credit and charge lines and the net. */
  public static Map<String, Object> change(PlanChange c, boolean applied) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applied", applied);
    m.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
    m.put("from", c.from().planId() + " v" + c.from().version());
    m.put("to", c.to().planId() + " v" + c.to().version());
    m.put("requestedAt", c.requestedAt().toString());
    m.put("effectiveAt", c.effectiveAt().toString());
    m.put("immediate", c.immediate());
    m.put("period", period(c.period()));
    m.put("remainingDays", c.remainingDays());
    m.put("ratio", c.ratio().toPlainString());
    m.put("credits", c.credits().stream().map(BillingViews::prorationLine).toList());
    m.put("charges", c.charges().stream().map(BillingViews::prorationLine).toList());
    m.put("currency", c.net().currency().getCurrencyCode());
    m.put("creditTotal", amount(c.creditTotal()));
    m.put("chargeTotal", amount(c.chargeTotal()));
    m.put("net", amount(c.net()));
    return m;
  }

  private static Map<String, Object> prorationLine(ProrationLine l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", l.kind().name().toLowerCase(Locale.ROOT));
    m.put("plan", l.planId());
    m.put("planVersion", l.planVersion());
    m.put("charge", l.chargeCode());
    m.put("from", l.from().toString());
    m.put("to", l.to().toString());
    m.put("days", l.days());
    m.put("cycleDays", l.cycleDays());
    m.put("ratio", l.ratio().toPlainString());
    m.put("amount", amount(l.amount()));
    return m;
  }

  /** The current period so far. */
  public static Map<String, Object> summary(BillingSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("period", period(s.period()));
    m.put("asOf", s.asOf().toString());
    m.put("daysElapsed", s.daysElapsed());
    m.put("daysRemaining", s.daysRemaining());
    m.put(
        "charges",
        s.charges().stream()
            .map(
                c -> {
                  Map<String, Object> v = new LinkedHashMap<>();
                  v.put("charge", c.chargeCode());
                  v.put("description", c.description());
                  v.put("quantity", c.quantity().toPlainString());
                  v.put("amount", amount(c.amount()));
                  return v;
                })
            .toList());
    m.put("currency", s.amountSoFar().currency().getCurrencyCode());
    m.put("amountSoFar", amount(s.amountSoFar()));
    return m;
  }

  /** A billing period. */
  public static Map<String, Object> period(BillingPeriod p) {
    return Map.of(
        "start", p.start().toString(), "end", p.end().toString(), "zone", p.zone().getId());
  }

  /** A billing run's progress. */
  public static Map<String, Object> run(BillingRunRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("period", r.period());
    m.put("status", r.status().name().toLowerCase(Locale.ROOT));
    m.put("tenantsDone", r.tenantsDone());
    m.put("invoicesCreated", r.invoicesCreated());
    m.put("cursor", r.cursor() == null ? null : r.cursor().value());
    m.put("startedAt", r.startedAt().toString());
    m.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
    m.put("failure", r.failure());
    return m;
  }

  /** An amount rounded to its currency's minor units, as a string. */
  public static String amount(Money m) {
    return m.rounded().toPlainString();
  }

  private static JsonNode tree(byte[] json) {
    try {
      return JsonFields.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
