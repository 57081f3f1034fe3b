#!/usr/bin/env bash
# End-to-end scoring latency on the local stack (target: e2e p99 at most twice the sum of the floors' p99s):
#   1. the live feature job and a champion for the model (default fraud): the registry's, or when it has
#      none, one trained by infra/bin/bootstrap-champion.sh (the same path `make run` takes);
#   2. the scoring job (infra/bin/submit-scoring-job.sh, idempotent), starting at the latest transactions so
#      no backlog is scored during the run;
#   3. `vigil bench e2e`: the Kafka-alone floor at the same rates first (while the stack is quiet), then
#      generated transactions at fixed rates into vigil.transactions, each decision timed from its
#      transaction's intended send time, then the other floors (one Redis lookup, one ONNX inference per model); then the scoring job's own vigil_e2e_latency_seconds as a cross-check and the CPU
#      each process used.
#   bench/scoring-latency.sh [BENCH_E2E_OPTIONS...]    e.g. --rates 1000,5000 --duration 30s (see vigil bench e2e --help)
# Settings (environment): VIGIL_SCORING_MODEL (default fraud), VIGIL_SCORING_PARALLELISM and
# VIGIL_FEATURE_PARALLELISM (default 2 each; a job already running keeps its parallelism).
# Needs ./vigil up and the built project (make build). Both jobs stay running afterwards (./vigil flink list).
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

model=${VIGIL_SCORING_MODEL:-fraud}
registry="$VAR/registry"
export VIGIL_SCORING_MODEL=$model

bench_scoring_jobs "$model"

cpu_begin
start=$SECONDS
"$VIGIL_REPO/vigil" bench e2e --bootstrap "$BOOTSTRAP" --redis-port "$VIGIL_REDIS_PORT" \
    --registry "$registry" --model "$model" "$@"
wall=$((SECONDS - start))

metrics=$(curl -sf --max-time 5 "http://127.0.0.1:$VIGIL_SCORING_METRICS_PORT/metrics" || true)
if [[ -n $metrics ]]; then
    # Every decision since the job started, benchmark and any other traffic; the mean only, as a cross-check.
    awk '/^vigil_e2e_latency_seconds_sum/ { s = $NF } /^vigil_e2e_latency_seconds_count/ { n = $NF }
        END { if (n > 0) printf "scoring job vigil_e2e_latency_seconds since it started: %d decisions, mean %.3f ms\n", n, 1000 * s / n }' \
        <<<"$metrics"
else
    warn "no metrics at 127.0.0.1:$VIGIL_SCORING_METRICS_PORT/metrics (VIGIL_SCORING_METRICS_PORT)"
fi
bench_machine
cpu_report "$wall"
