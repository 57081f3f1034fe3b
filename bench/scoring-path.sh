#!/usr/bin/env bash
# JMH: the scoring job's per-transaction CPU path (decode both Redis history snapshots, build the exact
# vector, score champion and challenger), one transaction at a time as the job does, and batched by 64
# for comparison; and the Avro encoding of the decision record the job sends (encodeDecision). Prints
# p50/p99/p99.9 per benchmark (~60 s). Needs the built project (make build).
#   bench/scoring-path.sh [JMH_OPTIONS...]     e.g. -i 10
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck disable=SC2086 # VIGIL_MVN_ARGS is a list of Maven options
mvn -B -q ${VIGIL_MVN_ARGS:-} -pl scoring-job test-compile exec:exec@jmh -Djmh.args="$*"
