#!/usr/bin/env bash
# Throughput of the feature job on the local stack over a handbook-layout CSV (e.g. the published
# handbook-raw.csv.gz, 1.75 M transactions, each with its label 7 days later). Two runs, each on its own topics:
#   end to end  the job runs; `vigil replay` produces the CSV and its labels as fast as it can; the job keeps up
#               as it can. Time: first transaction produced -> last feature vector written.
#   job alone   the CSV and labels are in Kafka first; then the job (bounded) reads them. Time: job submitted /
#               first feature vector written -> last feature vector written.
# Times are Kafka record timestamps (CreateTime, the producers' clocks on this machine); a feature vector's is
# when the job sent it (it becomes visible at the next checkpoint). Also prints the CPU each process used, the
# online store's writes (coalesced, stale) and what the run's Redis keys cost (MEMORY USAGE, snapshot sizes).
#   bench/feature-replay.sh CSV [--max-tx N] [--only end-to-end|job-alone] [-- JOB_OPTIONS...]
# JOB_OPTIONS go to the feature job (FeatureJobConfig), e.g. -- --redis-batch-size 2000.
# Needs ./vigil up, the built project (mvn -B -DskipTests install) and a free TaskManager.
# VIGIL_CLI overrides the command that runs `vigil replay` (default: the checkout's ./vigil), e.g. a copied CLI jar
# while the checkout is being rebuilt; VIGIL_FEATURE_JOB_JAR (infra/bin/submit-feature-job.sh) the job jar.
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

usage() { die "usage: bench/feature-replay.sh CSV [--max-tx N] [--only end-to-end|job-alone] [-- JOB_OPTIONS...]" 64; }
(($# >= 1)) || usage
csv=$1
shift
[[ -r $csv ]] || die "cannot read $csv"
replay_args=() only=""
while (($#)); do
    case $1 in
        --max-tx)
            [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage
            replay_args+=(--max-tx "$2")
            shift 2
            ;;
        --only)
            [[ ${2:-} == end-to-end || ${2:-} == job-alone ]] || usage
            only=$2
            shift 2
            ;;
        --)
            shift
            break
            ;;
        *) usage ;;
    esac
done
job_options=("$@")
# Later than any transaction of the handbook data (2018-04-01 .. 2018-09-30) and its labels.
SWEEP_TIME=2019-01-01T00:00:00Z

bench_require_stack
bench_classpath
trap bench_cleanup EXIT

now_ms() { date +%s%3N; }

# replay LOG: the CSV into the run's topics; sets replayed (transactions) and replay_ticks (its CPU).
replay() {
    local log=$1 times
    times=$(mktemp)
    # shellcheck disable=SC2086 # VIGIL_CLI may be a command with arguments
    /usr/bin/time -o "$times" -f '%U %S' ${VIGIL_CLI:-"$VIGIL_REPO/vigil"} replay --bootstrap "$BOOTSTRAP" \
        --topic-prefix "$RUN_ID." --log-interval PT10S "${replay_args[@]}" "$csv" >"$log" 2>&1 ||
        die "vigil replay failed; see $log"
    replay_ticks=$(awk -v hz="$CLK_TCK" '{ printf "%d\n", ($1 + $2) * hz }' "$times")
    rm -f "$times"
    replayed=$(grep -o 'produced [0-9,]* transactions' "$log" | tail -n1 | tr -dc '0-9')
    [[ -n $replayed ]] || die "no transaction count in the output of vigil replay ($log)"
}

# timeline COUNT TOPIC: "TOPIC records first last" from the TopicTimeline program (records -1 unless COUNT=true).
timeline() {
    bench_java io.vigil.features.bench.TopicTimeline --bootstrap "$BOOTSTRAP" --count "$1" --topics "$2" |
        sed -E 's/ records=| first=| last=/ /g'
}

# online_store_report: the online store writer's counters (a running job's, from Prometheus).
online_store_report() {
    local metric values=()
    for metric in featureRowsWritten featureRowsStale featureRowsCoalesced historySnapshotsWritten \
        historySnapshotsStale historySnapshotsCoalesced; do
        # A job without the metric (an older jar) reports 0.
        values+=("$(bench_job_metric "$metric" "online_store:_" || true)")
    done
    printf '  online store: feature rows %s written, %s stale, %s coalesced; snapshots %s written, %s stale, %s coalesced\n' \
        "${values[@]}"
}

# redis_footprint: keys of the run's Feast project, their MEMORY USAGE and snapshot sizes (a sample).
redis_footprint() {
    echo "  Redis, project $RUN_ID:"
    bench_java io.vigil.features.bench.RedisFootprint --redis-port "$VIGIL_REDIS_PORT" --project "$RUN_ID"
}

# rate N MILLIS: transactions per second.
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n * 1000 / ms }'; }

end_to_end() {
    RUN_ID="bench$(date +%s)e"
    bench_create_topics
    bench_submit_job "${job_options[@]}"
    say "end to end: job $BENCH_JOB running; replaying $csv into $RUN_ID.* (log: ${LOG_DIR#"$VIGIL_HOME"/}/bench-replay.log)"
    cpu_begin
    local start=$SECONDS
    replay "$LOG_DIR/bench-replay.log"
    say "replay done: $replayed transactions; waiting for the job"
    # The last transactions of each partition are emitted once every partition passed them.
    bench_java io.vigil.features.bench.PartitionSweep --bootstrap "$BOOTSTRAP" \
        --topic "$RUN_ID.transactions" --event-time "$SWEEP_TIME" >/dev/null
    local written=0 deadline=$((SECONDS + 3600))
    until ((written >= replayed)); do
        ((SECONDS < deadline)) || die "the job wrote $written of $replayed feature vectors in an hour"
        sleep 1
        written=$(bench_job_metric numRecordsOut "feature_log:_Writer")
    done
    local wall=$((SECONDS - start))
    cpu_report "$wall" "vigil replay" "$replay_ticks" >"$LOG_DIR/bench-replay-cpu.txt"
    # One more checkpoint commits the last feature vectors.
    sleep "$(awk -v s="${VIGIL_FEATURE_CHECKPOINT_INTERVAL:-10s}" 'BEGIN { sub(/s$/, "", s); print s + 2 }')"
    local features tx_first f_last
    read -r _ _ tx_first _ <<<"$(timeline false "$RUN_ID.transactions")"
    read -r _ features _ f_last <<<"$(timeline true "$RUN_ID.features")"
    local ms=$((f_last - tx_first))
    echo
    echo "END TO END ($RUN_ID): $replayed transactions + labels replayed while the job ran"
    printf '  first transaction produced -> last feature vector written: %.1f s, %s tx/s\n' \
        "$(awk -v ms="$ms" 'BEGIN { print ms / 1000 }')" "$(rate "$replayed" "$ms")"
    echo "  replay alone: $(grep -o 'in [0-9.]* s ([0-9,]* tx/s)' "$LOG_DIR/bench-replay.log" | tail -n1)"
    echo "  feature vectors in $RUN_ID.features: $features (expected $replayed)"
    cat "$LOG_DIR/bench-replay-cpu.txt"
    online_store_report
    redis_footprint
    bench_cancel_job
    bench_cleanup
}

job_alone() {
    RUN_ID="bench$(date +%s)j"
    bench_create_topics
    say "job alone: replaying $csv into $RUN_ID.* first"
    replay "$LOG_DIR/bench-replay.log"
    echo
    echo "KAFKA LOAD ($RUN_ID): $(grep -o 'produced .*' "$LOG_DIR/bench-replay.log" | tail -n1)"
    cpu_begin
    local submitted start=$SECONDS
    submitted=$(now_ms)
    bench_submit_job --bounded "${job_options[@]}"
    say "job $BENCH_JOB reads $replayed transactions and their labels"
    local state deadline=$((SECONDS + 3600))
    while state=$(curl -sf "$REST/jobs/$BENCH_JOB/status" | sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p') &&
        [[ $state != FINISHED ]]; do
        [[ $state == FAILED || $state == CANCELED ]] && die "job $BENCH_JOB is $state"
        ((SECONDS < deadline)) || die "job $BENCH_JOB did not finish within an hour"
        sleep 1
    done
    local wall=$((SECONDS - start))
    local features f_first f_last
    read -r _ features f_first f_last <<<"$(timeline true "$RUN_ID.features")"
    local ms=$((f_last - f_first)) total=$((f_last - submitted))
    echo "JOB ALONE ($RUN_ID): bounded job over $replayed transactions + labels already in Kafka"
    printf '  job submitted -> last feature vector written: %.1f s, %s tx/s\n' \
        "$(awk -v ms="$total" 'BEGIN { print ms / 1000 }')" "$(rate "$replayed" "$total")"
    printf '  first -> last feature vector written: %.1f s, %s tx/s\n' \
        "$(awk -v ms="$ms" 'BEGIN { print ms / 1000 }')" "$(rate "$replayed" "$ms")"
    echo "  feature vectors in $RUN_ID.features: $features (expected $replayed)"
    cpu_report "$wall"
    redis_footprint
    BENCH_JOB=""
    bench_cleanup
}

bench_machine "job options: ${job_options[*]:-(defaults)}"
[[ $only == job-alone ]] || end_to_end
[[ $only == end-to-end ]] || job_alone
