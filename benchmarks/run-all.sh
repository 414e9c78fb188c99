#!/usr/bin/env bash
# Builds the benchmark jar, runs every benchmark as docs/performance.md describes (about 30 minutes
# on two cores for one round, 10 of them the billing run), and prints the result tables in
# Markdown. Results: benchmarks/target/results/. ROUNDS=n runs the groups that compare Tenantkit
# with a peer n times each, one after the other, and the tables give the median of the per-round
# ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-1}
./mvnw -B -q -pl benchmarks -am -DskipTests package
out=benchmarks/target/results
rm -rf "$out"
mkdir -p "$out"
run() {
  local name=$1
  shift
  java -jar benchmarks/target/benchmarks.jar "$@" -rf json -rff "$out/$name.json" | tee "$out/$name.txt"
}
for round in $(seq 1 "$rounds"); do
  run "quota-local-$round" QuotaLocal -f 1
  run "quota-postgres-$round" QuotaPostgres -f 1
  run "ingest-bulk-$round" IngestBulkPostgres -f 1
done
run quota-lease-bounds QuotaLeaseBounds -f 1
run ingest-buffered IngestBuffered -f 1 -prof gc
run ingest-durable IngestDurablePostgres -f 1
run ingest-http IngestHttpPostgres -f 1
run month-total UsageMonthTotal -f 1
run usage-consumers UsageConsumersPostgres -f 1
run tenant-aware TenantAwareStatementPostgres -f 1
run invoice-calculation InvoiceCalculation -f 1 -prof gc
run billing-run BillingRunPostgres -f 1
java -cp benchmarks/target/benchmarks.jar dev.tenantkit.benchmarks.internal.ResultsTable "$out"/*.json \
  | tee "$out/tables.md"
