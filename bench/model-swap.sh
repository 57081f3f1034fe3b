#!/usr/bin/env bash
# End-to-end latency through a promotion and a rollback under steady load (issue 5: "a promotion and a
# rollback each cause zero failed or unscored transactions and no p99 excursion beyond budget"):
#   1. the jobs and a champion as for bench/scoring-latency.sh; a shadow challenger to promote (the
#      registry's, or the champion's own ONNX registered once as <champion>-swap, so the swap itself is
#      measured, not a different model);
#   2. `vigil bench e2e --timeline` at one fixed rate; a third into the measured time `vigil model promote`,
#      two thirds in `vigil model rollback`, both published on vigil.model-events like a person's change;
#   3. per-second e2e p99 from the benchmark's timeline: steady seconds against the 5 s after each change
#      was audited, and the run's missing transactions and fallbacks (a swap must cost none).
# At the end the promoted version is the shadow challenger again (<champion>-swap, if there was none).
#   bench/model-swap.sh [--rate 1000] [--duration 60]      (duration in seconds, measured)
# The seconds between launching a `vigil` CLI and its change reaching the audit log are reported apart: on
# this 2-core machine the CLI's own JVM start competes with the stack, which is not the swap's cost.
# Settings (environment): VIGIL_SCORING_MODEL (default fraud). Needs ./vigil up and the built project.
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

model=${VIGIL_SCORING_MODEL:-fraud}
rate=1000
duration=60
# The benchmark's first rate warms up this long before it measures (vigil bench e2e --initial-warmup).
warmup=30
after_swap=5
while (($#)); do
    case $1 in
        --rate) rate=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        *) die "usage: bench/model-swap.sh [--rate TX_PER_S] [--duration SECONDS]" 64 ;;
    esac
done
[[ $rate =~ ^[1-9][0-9]*$ && $duration =~ ^[1-9][0-9]*$ ]] || die "--rate and --duration take positive integers" 64
((duration >= 3 * (after_swap + 2))) || die "--duration must leave steady seconds around both swaps (at least $((3 * (after_swap + 2))))" 64

registry="$VAR/registry"
cli() { "$VIGIL_REPO/vigil" "$@" --bootstrap "$BOOTSTRAP"; }
# aliases FIELD: the champion's or the challenger's version from the registry's aliases.json, or nothing.
aliases() {
    local json
    json=$(tr -d ' \n' <"$registry/$model/aliases.json")
    case $1 in
        champion) grep -o '"champion":"[^"]*"' <<<"$json" | cut -d'"' -f4 ;;
        challenger) grep -o '"challenger":{"version":"[^"]*"' <<<"$json" | cut -d'"' -f6 ;;
    esac
}

bench_scoring_jobs "$model"
champion=$(aliases champion)
challenger=$(aliases challenger || true)
if [[ -z $challenger ]]; then
    challenger="$champion-swap"
    if [[ ! -d $registry/$model/versions/$challenger ]]; then
        say "registering the champion's model again as $challenger, to promote"
        metadata=$(tr -d ' \n' <"$registry/$model/versions/$champion/metadata.json")
        cli model register "$registry/$model/versions/$champion/model.onnx" --name "$model" \
            --version "$challenger" --features v1 --registry "$registry" \
            --metadata "{$(grep -o '"training_window":{[^}]*}' <<<"$metadata"),$(grep -o '"label_cutoff":"[^"]*"' <<<"$metadata")}" \
            >/dev/null
    fi
    cli model alias "$model" "$challenger" --as challenger --mode shadow --registry "$registry" \
        --reason "bench/model-swap.sh $RUN_ID" >/dev/null
    sleep 5 # the scoring job loads the challenger in the background
fi
say "champion $champion, challenger $challenger: $rate tx/s for ${duration}s, promotion at $((duration / 3))s, rollback at $((2 * duration / 3))s"

out="$LOG_DIR/model-swap-$RUN_ID.out"
"$VIGIL_REPO/vigil" bench e2e --bootstrap "$BOOTSTRAP" --redis-port "$VIGIL_REDIS_PORT" --registry "$registry" \
    --model "$model" --rates "$rate" --duration "${duration}s" --initial-warmup "${warmup}s" --no-floors \
    --timeline >"$out" 2>&1 &
bench=$!
sleep $((warmup + duration / 3))
promote_launched=$(date +%s%3N)
cli model promote "$model" --registry "$registry" --reason "bench/model-swap.sh $RUN_ID" >/dev/null
sleep $((duration / 3))
rollback_launched=$(date +%s%3N)
cli model rollback "$model" --registry "$registry" --reason "bench/model-swap.sh $RUN_ID" >/dev/null
wait "$bench" || { cat "$out"; die "vigil bench e2e failed; output above"; }
cli model alias "$model" "$challenger" --as challenger --mode shadow --registry "$registry" \
    --reason "bench/model-swap.sh $RUN_ID: restored" >/dev/null

# When the changes happened: their audit entries (the CLI's JVM takes seconds to start before that).
audited_at() {
    local at
    at=$(grep "\"type\":\"$1\"" "$registry/$model/audit.jsonl" | grep "bench/model-swap.sh $RUN_ID\"" | tail -n1 |
        grep -o '"at":"[^"]*"' | cut -d'"' -f4)
    [[ -n $at ]] || die "no $1 entry of this run in $registry/$model/audit.jsonl"
    date -d "$at" +%s%3N
}
promoted=$(audited_at PROMOTED)
rolled_back=$(audited_at ROLLED_BACK)

grep -v '^{' "$out"
field() { grep -o "\"$1\":[^,}]*" <<<"$2" | head -n1 | cut -d: -f2-; }
# Each measured second (by intended send time) into one bucket: while a CLI ran, the seconds after the
# change it made, or steady.
declare -A bucket
while read -r line; do
    start=$(date -d "$(field interval_start "$line" | tr -d '"')" +%s%3N)
    p99=$(field p99_ms "$line")
    [[ $p99 == null ]] && continue
    if ((start >= promote_launched && start < promoted)) || ((start >= rollback_launched && start < rolled_back)); then
        name=cli
    elif ((start >= promoted && start < promoted + after_swap * 1000)); then
        name=promotion
    elif ((start >= rolled_back && start < rolled_back + after_swap * 1000)); then
        name=rollback
    else
        name=steady
    fi
    bucket[$name]+="$p99 "
done < <(grep '"bench":"e2e-interval"' "$out")
stats() {
    [[ -n ${bucket[$1]:-} ]] || { echo "no whole second"; return; }
    tr ' ' '\n' <<<"${bucket[$1]}" | grep . | sort -g |
        awk '{ v[NR] = $1 } END { printf "median %.1f ms, max %.1f ms over %d s", v[int((NR + 1) / 2)], v[NR], NR }'
}
summary=$(grep '"bench":"e2e"' "$out")
echo
echo "model swap under load: $rate tx/s, ${duration} s measured, run $RUN_ID (timeline: ${out#"$VIGIL_HOME"/})"
echo "  whole run: p50 $(field p50_ms "$summary") ms, p99 $(field p99_ms "$summary") ms, max $(field max_ms "$summary") ms;" \
    "missing $(field missing "$summary"), fallback share $(field fallback_share "$summary")," \
    "decided by $(grep -o '"decided_by":{[^}]*}' <<<"$summary" | cut -d: -f2-)"
echo "  per-second p99, steady:                                 $(stats steady)"
echo "  per-second p99, ${after_swap} s after the promotion was audited:    $(stats promotion)"
echo "  per-second p99, ${after_swap} s after the rollback was audited:     $(stats rollback)"
echo "  per-second p99, while a vigil CLI JVM started and ran:  $(stats cli) ($(((promoted - promote_launched) / 1000)) s and $(((rolled_back - rollback_launched) / 1000)) s)"
bench_machine
