#!/usr/bin/env bash
# Latency of the scoring job's feature lookups (RedisHistoryLookup: per transaction two HGETs of history
# snapshots, pipelined on one I/O thread with whatever else is queued) at fixed rates, against a single
# redis-server and a three-primary Redis Cluster that the program starts on free ports and removes afterwards
# (it does not use the local stack's Redis). Latency from each lookup's scheduled start to its completion,
# HdrHistogram; prints p50 / p99 / p99.9 / max and the achieved rate per Redis and rate.
#   bench/redis-lookup.sh [RATES] [SECONDS]     e.g. bench/redis-lookup.sh 5000,20000 20
# Needs redis-server (infra/bin/ensure-redis.sh) and the built project (mvn -B -DskipTests install).
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

rates=${1:-5000,20000}
seconds=${2:-20}
[[ $rates =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ && $seconds =~ ^[1-9][0-9]*$ ]] ||
    die "usage: bench/redis-lookup.sh [RATES like 5000,20000] [SECONDS]" 64
mkdir -p "$LOG_DIR"
"$VIGIL_REPO/infra/bin/ensure-redis.sh" >/dev/null
bench_classpath scoring-job
bench_java io.vigil.scoring.lookup.bench.RedisLookupBenchmark "$rates" "$seconds"
