#!/usr/bin/env bash
# Builds the benchmark jar, runs every benchmark as docs/performance.md describes (about 15 minutes
# on two cores), and prints the result tables in Markdown. Results: benchmarks/target/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl benchmarks -am -DskipTests package
out=benchmarks/target/results
mkdir -p "$out"
run() {
  local name=$1
  shift
  java -jar benchmarks/target/benchmarks.jar "$@" -rf json -rff "$out/$name.json" | tee "$out/$name.txt"
}
run quota-local QuotaLocal -f 1
run quota-postgres QuotaPostgres -f 1
run quota-lease-bounds QuotaLeaseBounds -f 1
run ingest-buffered IngestBuffered -f 1 -prof gc
run ingest-bulk IngestBulkPostgres -f 1
run ingest-durable IngestDurablePostgres -f 1
run month-total UsageMonthTotal -f 1
java -cp benchmarks/target/benchmarks.jar dev.tenantkit.benchmarks.internal.ResultsTable "$out"/*.json \
  | tee "$out/tables.md"
