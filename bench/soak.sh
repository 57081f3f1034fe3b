#!/usr/bin/env bash
# Steady live traffic through both jobs for an hour or more: does latency, memory or checkpoint size drift?
#   1. the live feature job, a champion and the scoring job, as for bench/scoring-latency.sh;
#   2. `vigil bench e2e` at one fixed rate for the whole duration, with its latency timeline per interval
#      (--timeline=INTERVAL, coordinated omission corrected);
#   3. meanwhile, at each interval: resident memory of the TaskManager, Kafka and Redis, Redis used_memory,
#      and the last completed checkpoint of each job (size, duration) from Flink's REST API;
#   4. one row per interval: e2e p50 / p99 / max, the TaskManager's GC pauses in that interval (young ones:
#      count, mean, max; mixed, remark and full ones; the longest; heap after the last, from
#      var/log/flink-taskmanager-gc.log) and the samples above.
#   bench/soak.sh [--rate 500] [--minutes 60] [--interval 5]      (interval in minutes)
#   bench/soak.sh --report RUN                                    the table of an earlier run again
# Settings (environment): VIGIL_SCORING_MODEL (default fraud); VIGIL_FEATURE_STATE_BACKEND and the other settings of
# infra/bin/submit-feature-job.sh when it starts the feature job. Needs ./vigil up, the built project and jq.
# Both jobs stay running afterwards; the raw figures stay in var/log/soak-<run>.{out,tsv,gc}.
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

require_cmd jq jq
gc_log="$LOG_DIR/flink-taskmanager-gc.log"

# GC pauses as "epoch_ms kind pause_ms heap_after_MB" (kind Young, Mixed, Remark or Full); the log's
# wall-clock decoration is converted in one call.
gc_pauses() {
    local lines
    lines=$({ cat "$gc_log".[0-9] 2>/dev/null || true; cat "$gc_log"; } |
        grep -E 'Pause (Young|Remark|Full).*[0-9]M->[0-9]+M\([0-9]+M\) [0-9.]+ms$' | sort) || return 0
    paste -d' ' <(sed -E 's/^\[([^]]*)\].*/\1/' <<<"$lines" | date -f - +%s%3N) \
        <(sed -E 's/.*Pause (Young \(Mixed\)|Remark|Full|Young).* [0-9]+M->([0-9]+)M\([0-9]+M\) ([0-9.]+)ms$/\1 \3 \2/; s/^Young \(Mixed\)/Mixed/' <<<"$lines")
}

# report RUN: one row per timeline interval of the run's benchmark output, with its GC pauses and samples.
report() {
    local run=$1 out samples pauses first rate interval start responses p50 p99 max from to gc sampled tm kafka redis used fcp scp
    out="$LOG_DIR/soak-$run.out" samples="$LOG_DIR/soak-$run.tsv" pauses="$LOG_DIR/soak-$run.gc"
    [[ -f $out && -f $samples ]] || die "no soak run $run in ${LOG_DIR#"$VIGIL_HOME"/}"
    [[ -f $pauses ]] || gc_pauses >"$pauses"
    first=$(grep -m1 '"bench":"e2e-interval"' "$out") || die "no timeline in ${out#"$VIGIL_HOME"/}"
    rate=$(jq -r .rate <<<"$first")
    interval=$(jq -r .interval_s <<<"$first")
    echo "soak run $run: $rate tx/s; per interval of ${interval} s by intended send time"
    printf '%-8s %9s %8s %8s %8s | %6s %8s %8s %5s %6s %4s %8s %9s | %6s %6s %6s %7s | %15s %15s\n' \
        start responses "p50 ms" "p99 ms" "max ms" young "mean ms" "max ms" mixed remark full "worst ms" "heap MB" \
        "TM MB" "Kafka" "Redis" "used MB" "feature cp" "scoring cp"
    grep '"bench":"e2e-interval"' "$out" | jq -r '[.interval_start, .responses, .p50_ms, .p99_ms, .max_ms] | @tsv' |
        while IFS=$'\t' read -r start responses p50 p99 max; do
        from=$(date -d "$start" +%s%3N)
        to=$(awk -v f="$from" -v i="$interval" 'BEGIN { printf "%.0f", f + i * 1000 }')
        gc=$(awk -v a="$from" -v b="$to" '$1 >= a && $1 < b {
                if ($2 == "Young" || $2 == "Mixed") { young++; sum += $3; if ($3 > max) max = $3 }
                if ($2 == "Mixed") mixed++; else if ($2 == "Remark") remark++; else if ($2 == "Full") full++
                if ($3 > worst) worst = $3
                heap = $4 }
            END { printf "%6d %8.1f %8.1f %5d %6d %4d %8.1f %9s", young, young ? sum / young : 0, max, mixed, remark,
                full, worst, heap == "" ? "-" : heap }' "$pauses")
        # The sample taken nearest the interval's end.
        sampled=$(awk -F'\t' -v b="$to" 'NR > 1 { d = $1 - b; if (d < 0) d = -d; if (best == "" || d < best) { best = d; row = $0 } }
            END { print row }' "$samples")
        IFS=$'\t' read -r _ tm kafka redis used _ fcp scp <<<"$sampled"
        printf '%-8s %9s %8s %8s %8s | %s | %6s %6s %6s %7s | %15s %15s\n' \
            "$(date -d "@$((from / 1000))" +%H:%M:%S)" "$responses" "$p50" "$p99" "$max" "$gc" "${tm:--}" "${kafka:--}" \
            "${redis:--}" "${used:--}" "${fcp:--}" "${scp:--}"
    done
    echo "  young: young collections (mixed ones included; mean and max of their pauses), remark: remark pauses of"
    echo "  concurrent cycles, worst: the longest pause of any kind, heap MB: heap after the interval's last pause;"
    echo "  TM/Kafka/Redis: resident MB, used MB: Redis used_memory; cp: last completed checkpoint, state MB/MB written"
    echo "  (less for incremental RocksDB checkpoints) and ms"
}

if [[ ${1:-} == --report ]]; then
    (($# == 2)) || die "usage: bench/soak.sh --report RUN" 64
    report "$2"
    exit
fi

model=${VIGIL_SCORING_MODEL:-fraud}
rate=500
minutes=60
interval=5
while (($#)); do
    case $1 in
        --rate) rate=$2; shift 2 ;;
        --minutes) minutes=$2; shift 2 ;;
        --interval) interval=$2; shift 2 ;;
        *) die "usage: bench/soak.sh [--rate TX_PER_S] [--minutes M] [--interval M] | --report RUN" 64 ;;
    esac
done
[[ $rate =~ ^[1-9][0-9]*$ && $minutes =~ ^[1-9][0-9]*$ && $interval =~ ^[1-9][0-9]*$ ]] ||
    die "--rate, --minutes and --interval take positive integers" 64
((interval <= minutes)) || die "--interval must not be longer than --minutes" 64

bench_scoring_jobs "$model"

out="$LOG_DIR/soak-$RUN_ID.out"
samples="$LOG_DIR/soak-$RUN_ID.tsv"
# checkpoint JOB_ID: "state_MB/written_MB duration_ms" of the job's last completed checkpoint; written is
# less than the state for incremental (RocksDB) checkpoints only.
checkpoint() {
    curl -sf --max-time 5 "$REST/jobs/$1/checkpoints" |
        jq -r '.latest.completed // {} | def mb: (. // 0) / 1048576 | . * 10 | round / 10;
            "\(.state_size | mb)/\(.checkpointed_size | mb) \(.end_to_end_duration // "-")"' ||
        echo "- -"
}
sample() {
    local used keys
    used=$(redis-cli -p "$VIGIL_REDIS_PORT" INFO memory | awk -F: '/^used_memory:/ { printf "%.0f", $2 / 1048576 }')
    keys=$(redis-cli -p "$VIGIL_REDIS_PORT" DBSIZE)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date +%s%3N)" "$(rss_mb "$(part_pid flink-taskmanager)")" \
        "$(rss_mb "$(part_pid kafka)")" "$(rss_mb "$(part_pid redis)")" "$used" "$keys" "$(checkpoint "$LIVE_FEATURE_JOB")" "$(checkpoint "$LIVE_SCORING_JOB")"
}
printf 'at_ms\ttm_rss_mb\tkafka_rss_mb\tredis_rss_mb\tredis_used_mb\tredis_keys\tfeature_cp_mb/written_mb feature_cp_ms\tscoring_cp_mb/written_mb scoring_cp_ms\n' >"$samples"
warmup=30
(
    sleep "$warmup"
    while :; do
        sample >>"$samples"
        sleep $((interval * 60))
    done
) &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

say "soak: $rate tx/s for $minutes min, figures every $interval min (timeline: ${out#"$VIGIL_HOME"/})"
cpu_begin
start=$SECONDS
"$VIGIL_REPO/vigil" bench e2e --bootstrap "$BOOTSTRAP" --redis-port "$VIGIL_REDIS_PORT" --registry "$VAR/registry" \
    --model "$model" --rates "$rate" --duration "${minutes}m" --initial-warmup "${warmup}s" --no-floors \
    --timeline="${interval}m" >"$out" 2>&1 || { cat "$out"; die "vigil bench e2e failed; output above"; }
wall=$((SECONDS - start))
kill "$sampler" 2>/dev/null || true
sample >>"$samples"
gc_pauses >"$LOG_DIR/soak-$RUN_ID.gc"
grep -v '^{' "$out"
echo
report "$RUN_ID"
bench_machine
cpu_report "$wall"
