#!/usr/bin/env bash
# Feature freshness of the feature job on the local stack: simulated traffic in wall-clock time (default
# 5,000 tx/s) loads the job while FeatureFreshnessBenchmark produces probe transactions (100/s) and times
# their Redis rows through keyspace notifications; prints p50/p90/p99/p99.9/max of produce -> Redis write,
# then the job's own featureFreshnessMillis histogram (its last 2,048 rows per subtask) as a cross-check.
#   bench/feature-freshness.sh [--rate TX_PER_S] [--duration SECONDS] [--warmup SECONDS] [-- JOB_OPTIONS...]
# JOB_OPTIONS go to the feature job (FeatureJobConfig), e.g. -- --max-out-of-orderness 20ms --buffer-timeout 5ms.
# Needs ./vigil up, the built project (mvn -B -DskipTests install) and a free TaskManager.
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

rate=5000 duration=60 warmup=15 grace=10
usage() { die "usage: bench/feature-freshness.sh [--rate TX_PER_S] [--duration SECONDS] [--warmup SECONDS] [-- JOB_OPTIONS...]" 64; }
while (($#)); do
    case $1 in
        --rate | --duration | --warmup)
            [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage
            printf -v "${1#--}" '%s' "$2"
            shift 2
            ;;
        --) shift; break ;;
        *) usage ;;
    esac
done
job_options=("$@")

bench_require_stack
bench_classpath
trap bench_cleanup EXIT
bench_create_topics
bench_submit_job "${job_options[@]}"
say "feature job $BENCH_JOB on topics $RUN_ID.*, options: ${job_options[*]:-(defaults)}"

# Enough traffic for warm-up, measurement and the probes' grace period; labels follow 30 s after each
# transaction (the simulator's wall-clock default), so they join in during the measurement.
max_tx=$((rate * (warmup + duration + grace + 5)))
"$VIGIL_REPO/vigil" simulate --bootstrap "$BOOTSTRAP" --topic-prefix "$RUN_ID." --time-mode wall-clock \
    --rate "$rate" --max-tx "$max_tx" --log-interval PT10S >"$LOG_DIR/bench-simulate.log" 2>&1 &
simulator=$!
trap 'kill "$simulator" 2>/dev/null || true; bench_cleanup' EXIT
say "simulator: $rate tx/s in wall-clock time (log: ${LOG_DIR#"$VIGIL_HOME"/}/bench-simulate.log); measuring after ${warmup}s for ${duration}s"

late_before=$(bench_job_metric lateTransactions dedup_transactions)
cpu_begin
start=$SECONDS
bench_java io.vigil.features.bench.FeatureFreshnessBenchmark --bootstrap "$BOOTSTRAP" \
    --transactions-topic "$RUN_ID.transactions" --labels-topic "$RUN_ID.labels" \
    --redis-port "$VIGIL_REDIS_PORT" --project "$RUN_ID" --run-id "$RUN_ID" \
    --warmup "${warmup}s" --duration "${duration}s" --grace "${grace}s"
wall=$((SECONDS - start))
read -r p50 p99 <<<"$(bench_job_histogram featureFreshnessMillis online_store:_)"
late=$(($(bench_job_metric lateTransactions dedup_transactions) - late_before))
sim_ticks=$(cpu_ticks "$simulator")
kill "$simulator" 2>/dev/null || true
wait "$simulator" 2>/dev/null || true

echo "job's own featureFreshnessMillis (its last 2,048 rows per subtask, highest subtask): p50 $p50 ms, p99 $p99 ms"
echo "late transactions (dropped to the dead-letter topic) during the run: $late"
echo "simulator: $(tr '\r' '\n' <"$LOG_DIR/bench-simulate.log" | grep -E 'tx/s' | tail -n1)"
bench_machine
cpu_report "$wall" simulator "$sim_ticks"
