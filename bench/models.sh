#!/usr/bin/env bash
# Model benchmarks, no local stack needed (docs/models.md "Benchmarks" has figures and how to read them):
#   bench/models.sh [inference|training|all] [-- JMH_OPTIONS...]
# inference: JMH, single-row and 64-row latency (p50, p99, ...) of the Java-trained logistic regression
#            and XGBoost models through OnnxScorer (~1.5 min); JMH_OPTIONS e.g. -- -p algorithm=xgboost
# training:  fit time, export time, heap, peak RSS and ONNX size per trainer on a synthetic week (~30 s)
# Needs the built project (mvn -B -DskipTests install).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

what=all
if (($#)) && [[ $1 != -- ]]; then
    what=$1
    shift
fi
[[ $what =~ ^(inference|training|all)$ ]] ||
    { echo "usage: bench/models.sh [inference|training|all] [-- JMH_OPTIONS...]" >&2; exit 64; }
[[ ${1:-} == -- ]] && shift
[[ $what == inference || $# -eq 0 ]] ||
    { echo "bench/models.sh: JMH options apply to 'inference' only" >&2; exit 64; }

# shellcheck disable=SC2086 # VIGIL_MVN_ARGS is a list of Maven options
mvn_trainer() { mvn -B -q ${VIGIL_MVN_ARGS:-} -pl trainer test-compile "$@"; }
if [[ $what != training ]]; then
    mvn_trainer exec:exec@jmh "-Djmh.args=$*"
fi
if [[ $what != inference ]]; then
    mvn_trainer exec:exec@train-bench
fi
