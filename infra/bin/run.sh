#!/usr/bin/env bash
# The README's run command after the build: the local stack up (with the review queue and the retrainer),
# the feature job submitted, a champion trained and registered when the registry has none
# (infra/bin/bootstrap-champion.sh), the scoring job and the drift job submitted, simulated traffic streaming
# into Kafka in wall-clock time with amounts shifted after a few minutes (drift the drift job then reports
# to the review queue), and a live summary of the decisions (rate, latency, bands, champion vs challenger
# agreement). Ctrl-C stops the traffic and the view; the stack and the jobs stay up for ./vigil status, the
# Flink web UI, Prometheus and the review queue until ./vigil down.
#   VIGIL_RATE              transactions per second of the simulator (default 500)
#   VIGIL_DRIFT_AFTER       minutes of traffic before amounts are multiplied by VIGIL_DRIFT_FACTOR (default 3)
#   VIGIL_DRIFT_FACTOR      the amount shift (default 2.5)
#   VIGIL_DRIFT_WINDOW      the drift job's window (default 1min here; the job's own default is 1h)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rate=${VIGIL_RATE:-500}
drift_after=${VIGIL_DRIFT_AFTER:-3}
bootstrap="127.0.0.1:$VIGIL_KAFKA_PORT"

"$VIGIL_REPO/vigil" up
feature_job=$("$VIGIL_REPO/infra/bin/submit-feature-job.sh")
say "feature job $feature_job: features into Redis (Feast layout) and vigil.features"
"$VIGIL_REPO/infra/bin/bootstrap-champion.sh"
# A first start scores from now on: the bootstrap's training traffic needs no decisions.
scoring_job=$("$VIGIL_REPO/infra/bin/submit-scoring-job.sh" --starting-offsets latest)
say "scoring job $scoring_job: decisions on vigil.decisions, metrics on http://127.0.0.1:$VIGIL_SCORING_METRICS_PORT/metrics"
drift_job=$("$VIGIL_REPO/infra/bin/submit-drift-job.sh" --window "${VIGIL_DRIFT_WINDOW:-1min}" \
    --max-out-of-orderness 5s --min-samples 1000)
say "drift job $drift_job: PSI and KS against each model's reference profile, alerts on vigil.drift-alerts"
say "Flink UI http://127.0.0.1:$VIGIL_FLINK_REST_PORT | Prometheus http://127.0.0.1:$VIGIL_PROMETHEUS_PORT"
say "review queue http://127.0.0.1:$VIGIL_REVIEW_PORT: an approved drift alert becomes a retrain request, and the retrainer trains a shadow challenger (docs/drift.md, \"Try it\")"

mkdir -p "$LOG_DIR"
say "simulator: $rate tx/s in wall-clock time, amounts x${VIGIL_DRIFT_FACTOR:-2.5} after $drift_after min (log: $LOG_DIR/simulator.log)"
# Drift starts at a simulated day (the generator's own clock, before wall-clock stamping): 1,000 customers
# make about 1,950 transactions a simulated day. 3,650 days keep the traffic going for hours at 500 tx/s.
drift_day=$((drift_after * 60 * rate / 1950))
"$VIGIL_REPO/vigil" simulate --bootstrap "$bootstrap" --time-mode wall-clock --rate "$rate" \
    --customers 1000 --terminals 2000 --days 3650 --label-delay PT30S \
    --drift-amount-from "$drift_day" --drift-amount-factor "${VIGIL_DRIFT_FACTOR:-2.5}" \
    >"$LOG_DIR/simulator.log" 2>&1 &
simulator=$!

stop_traffic() {
    kill "$simulator" 2>/dev/null || true
    wait "$simulator" 2>/dev/null || true
    say "traffic stopped; the stack and jobs are still up: ./vigil status | ./vigil down"
}
trap stop_traffic EXIT

"$VIGIL_REPO/vigil" watch decisions --bootstrap "$bootstrap"
