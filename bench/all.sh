#!/usr/bin/env bash
# Every benchmark in turn on the local stack; each prints its own figures (README "Performance").
#   bench/all.sh [HANDBOOK_CSV]    the full-replay benchmark runs only when the CSV's path is given
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./vigil up
./vigil bench produce
bench/feature-freshness.sh
if [[ -n ${1:-} ]]; then
    bench/feature-replay.sh "$1"
fi
bench/models.sh all
bench/scoring-path.sh
bench/redis-lookup.sh
bench/scoring-latency.sh
bench/model-swap.sh
