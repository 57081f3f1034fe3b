#!/usr/bin/env bash
# Submits the scoring job (scoring-job/target/vigil-scoring-job-*-job.jar) to the local Flink session
# cluster with the local stack's endpoints, waits until it runs and prints its job id on stdout. Idempotent:
# when a job named vigil-scoring-job is already active it prints that job's id and submits nothing.
#   infra/bin/submit-scoring-job.sh [JOB_OPTIONS...]     e.g. --model fraud --buffer-timeout 0ms
# JOB_OPTIONS (ScoringJobConfig, see scoring-job/README.md) are added to the stack's endpoints and the
# settings below; one given there replaces the script's value. The job follows vigil.model-events, so the
# champion can be registered before or after this.
# Settings (environment):
#   VIGIL_SCORING_PARALLELISM          job parallelism (default 2, the TaskManager's slots)
#   VIGIL_SCORING_CHECKPOINT_INTERVAL  checkpoint interval (default 10s)
#   VIGIL_SCORING_MODEL                registry model whose champion and challenger run (default fraud)
#   VIGIL_SCORING_JOB_JAR              the job jar (default: the newest scoring-job/target/*-job.jar)
#   VIGIL_SCORING_START_TIMEOUT        seconds to wait for the job to run (default 60)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# vigil-scoring-job is the name ScoringJob gives its job, which is how a running instance is recognised.
exec "$VIGIL_REPO/infra/bin/submit-named-job.sh" vigil-scoring-job \
    "${VIGIL_SCORING_JOB_JAR:-$VIGIL_REPO/scoring-job}" \
    io.vigil.scoring.ScoringJob "${VIGIL_SCORING_START_TIMEOUT:-60}" \
    --bootstrap-servers "127.0.0.1:$VIGIL_KAFKA_PORT" \
    --redis-host 127.0.0.1 \
    --redis-port "$VIGIL_REDIS_PORT" \
    --model "${VIGIL_SCORING_MODEL:-fraud}" \
    --parallelism "${VIGIL_SCORING_PARALLELISM:-2}" \
    --checkpoint-interval "${VIGIL_SCORING_CHECKPOINT_INTERVAL:-10s}" \
    --metrics-host 127.0.0.1 \
    --metrics-port "${VIGIL_SCORING_METRICS_PORT:-9260}" \
    -- "$@"
