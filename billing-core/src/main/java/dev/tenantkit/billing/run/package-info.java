/**
 * From usage to an invoice: {@link dev.tenantkit.billing.run.PeriodBiller} turns a subscription,
 * its plan version, the metered usage and a billing period into the invoice request and the draft
 * invoice; previews, summaries, corrections for late usage and progressive billing. Pure except for
 * reading usage; the time comes in as an argument. Rules and sources: docs/billing.md, "From usage
 * to an invoice".
 */
package dev.tenantkit.billing.run;
