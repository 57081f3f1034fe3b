#!/usr/bin/env bash
# The README's run command after the build: the local stack up, the feature job submitted to its Flink
# cluster, simulated traffic streaming into Kafka in wall-clock time, and a live view of the transaction topic. Ctrl-C stops the traffic and the view; the
# stack stays up for ./vigil status and the Flink web UI until ./vigil down.
#   VIGIL_RATE   transactions per second of the simulator (default 500)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rate=${VIGIL_RATE:-500}
bootstrap="127.0.0.1:$VIGIL_KAFKA_PORT"

"$VIGIL_REPO/vigil" up
feature_job=$("$VIGIL_REPO/infra/bin/submit-feature-job.sh")
say "feature job $feature_job: features into Redis (Feast layout) and vigil.features; http://127.0.0.1:$VIGIL_FLINK_REST_PORT"

mkdir -p "$LOG_DIR"
say "simulator: $rate tx/s in wall-clock time (log: $LOG_DIR/simulator.log)"
"$VIGIL_REPO/vigil" simulate --bootstrap "$bootstrap" --time-mode wall-clock --rate "$rate" \
    --label-delay PT30S >"$LOG_DIR/simulator.log" 2>&1 &
simulator=$!

stop_traffic() {
    kill "$simulator" 2>/dev/null || true
    wait "$simulator" 2>/dev/null || true
    say "traffic stopped; the stack is still up: ./vigil status | Flink UI http://127.0.0.1:$VIGIL_FLINK_REST_PORT | ./vigil down"
}
trap stop_traffic EXIT

"$VIGIL_REPO/vigil" watch --bootstrap "$bootstrap"
