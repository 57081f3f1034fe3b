#!/usr/bin/env bash
# Submits the drift job (retrain-trigger/target/vigil-retrain-trigger-*-job.jar) to the local Flink session
# cluster with the local stack's endpoints, waits until it runs and prints its job id on stdout. Idempotent:
# when a job named vigil-drift-job is already active it prints that job's id and submits nothing.
#   infra/bin/submit-drift-job.sh [JOB_OPTIONS...]     e.g. --window 5min --min-samples 500
# JOB_OPTIONS (DriftJobConfig, see docs/drift.md) are added to the stack's endpoints and the settings below;
# one given there replaces the script's value.
# Settings (environment):
#   VIGIL_DRIFT_PARALLELISM      job parallelism (default 1: a few model versions are its only keys)
#   VIGIL_DRIFT_JOB_JAR          the job jar (default: the newest retrain-trigger/target/*-job.jar)
#   VIGIL_DRIFT_START_TIMEOUT    seconds to wait for the job to run (default 60)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# vigil-drift-job is the name DriftJob gives its job, which is how a running instance is recognised.
exec "$VIGIL_REPO/infra/bin/submit-named-job.sh" vigil-drift-job \
    "${VIGIL_DRIFT_JOB_JAR:-$VIGIL_REPO/retrain-trigger}" \
    io.vigil.drift.DriftJob "${VIGIL_DRIFT_START_TIMEOUT:-60}" \
    --bootstrap-servers "127.0.0.1:$VIGIL_KAFKA_PORT" \
    --registry "$VAR/registry" \
    --parallelism "${VIGIL_DRIFT_PARALLELISM:-1}" \
    --metrics-host 127.0.0.1 \
    --metrics-port "${VIGIL_DRIFT_METRICS_PORT:-9261}" \
    -- "$@"
