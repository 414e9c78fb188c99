#!/usr/bin/env bash
# Compares two builds of the benchmarks, interleaved on one machine: A, B, A, B (ROUNDS=2, the
# default, or more), each group of each build in its own JMH run, then the table of
# dev.tenantkit.benchmarks.internal.AbTable (median of each build, change, run-to-run noise).
#
#   benchmarks/run-ab.sh before.jar after.jar                 # the decision and ingestion paths
#   BENCHMARKS="QuotaLocal1Thread" ROUNDS=3 benchmarks/run-ab.sh before.jar after.jar
#   BENCHMARKS="QuotaPostgres.tenantkit" JMH_OPTS="-wi 3 -i 3" benchmarks/run-ab.sh a.jar b.jar
#
# Each entry of BENCHMARKS is a JMH regex (a class, or class.method prefix); JMH_OPTS are passed to
# every run (the runs of both builds get the same ones).
#
# Build each jar from its commit with
#   ./mvnw -B -q -pl benchmarks -am -DskipTests package && cp benchmarks/target/benchmarks.jar X.jar
# Results: benchmarks/target/ab/. Nothing else should run meanwhile.
set -euo pipefail
a=$1
b=$2
rounds=${ROUNDS:-2}
groups=${BENCHMARKS:-"QuotaLocal1Thread QuotaLocal2ThreadsSameKey QuotaPostgres IngestBuffered IngestBulkPostgres"}
cd "$(dirname "$0")/.."
out=benchmarks/target/ab
rm -rf "$out"
mkdir -p "$out"
args=()
for round in $(seq 1 "$rounds"); do
  for group in $groups; do
    for build in A B; do
      jar=$a
      [ "$build" = B ] && jar=$b
      file="$out/$group-$build-$round.json"
      # shellcheck disable=SC2086 # JMH_OPTS is a list of options
      java -jar "$jar" "$group" -f 1 ${JMH_OPTS:-} -rf json -rff "$file" > "$out/$group-$build-$round.txt"
      args+=("$build=$file")
    done
  done
done
java -cp "$b" dev.tenantkit.benchmarks.internal.AbTable "${args[@]}" | tee "$out/ab.md"
