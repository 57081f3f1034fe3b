#!/usr/bin/env bash
# Model benchmarks (docs/models.md "Benchmarks" has figures and how to read them):
#   bench/models.sh [inference|training|handbook|all] [-- JMH_OPTIONS...]
# inference: JMH, single-row and 64-row latency (p50, p99, ...) of the Java-trained logistic regression
#            and XGBoost models through OnnxScorer (~1.5 min); JMH_OPTIONS e.g. -- -p algorithm=xgboost
# training:  fit time, export time, heap, peak RSS and ONNX size per trainer on a synthetic week (~30 s)
# handbook:  per algorithm, the whole `vigil model train` run and one fit on the Fraud Detection Handbook's
#            week 2018-07-25..07-31, time, heap, peak RSS, ONNX sizes (~1 min). Reads the feature log and
#            labels of the running local stack, so first:
#              ./vigil up && ./vigil replay handbook-raw.csv.gz && infra/bin/submit-feature-job.sh
#            and wait until `./vigil topics count` shows 1,754,155 messages on vigil.features.
#            Kafka: $VIGIL_BOOTSTRAP, else 127.0.0.1:$VIGIL_KAFKA_PORT; topics: ${BENCH_TOPIC_PREFIX:-vigil.}*
# all (default): the three in turn.
# Needs the built project (mvn -B -DskipTests install).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=../infra/stack.env
source infra/stack.env

what=all
if (($#)) && [[ $1 != -- ]]; then
    what=$1
    shift
fi
[[ $what =~ ^(inference|training|handbook|all)$ ]] ||
    { echo "usage: bench/models.sh [inference|training|handbook|all] [-- JMH_OPTIONS...]" >&2; exit 64; }
[[ ${1:-} == -- ]] && shift
[[ $what == inference || $# -eq 0 ]] ||
    { echo "bench/models.sh: JMH options apply to 'inference' only" >&2; exit 64; }

# shellcheck disable=SC2086 # VIGIL_MVN_ARGS is a list of Maven options
mvn_trainer() { mvn -B -q ${VIGIL_MVN_ARGS:-} -pl trainer test-compile "$@"; }
if [[ $what == inference || $what == all ]]; then
    mvn_trainer exec:exec@jmh "-Djmh.args=$*"
fi
if [[ $what == training || $what == all ]]; then
    mvn_trainer exec:exec@train-bench
fi
if [[ $what == handbook || $what == all ]]; then
    bootstrap=${VIGIL_BOOTSTRAP:-127.0.0.1:$VIGIL_KAFKA_PORT}
    mvn_trainer exec:exec@handbook-bench "-Dhandbook.bench.args=$bootstrap ${BENCH_TOPIC_PREFIX:-vigil.}"
fi
