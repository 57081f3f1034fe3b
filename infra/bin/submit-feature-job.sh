#!/usr/bin/env bash
# Submits the feature job (feature-jobs/target/vigil-feature-jobs-*-job.jar) to the local Flink session
# cluster with the local stack's endpoints, waits until it runs and prints its job id on stdout. Idempotent:
# when a job named vigil-feature-jobs is already active (running, restarting, ...) it prints that job's id
# and submits nothing.
#   infra/bin/submit-feature-job.sh [JOB_OPTIONS...]     e.g. --max-out-of-orderness 20ms
# JOB_OPTIONS (FeatureJobConfig, see feature-jobs/README.md) are added to the stack's endpoints and the settings
# below; one given there replaces the script's value.
# Settings (environment):
#   VIGIL_FEATURE_PARALLELISM          job parallelism (default 2, the TaskManager's slots)
#   VIGIL_FEATURE_CHECKPOINT_INTERVAL  checkpoint interval; the feature log becomes visible at each (default 10s)
#   VIGIL_FEATURE_STATE_BACKEND        hashmap or rocksdb, with incremental checkpoints (default: the job's, hashmap;
#                                      docs/deployment.md)
#   VIGIL_FEATURE_JOB_JAR              the job jar (default: the newest feature-jobs/target/*-job.jar)
#   VIGIL_FEATURE_START_TIMEOUT        seconds to wait for the job to run (default 60)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# vigil-feature-jobs is the name FeatureJob gives its job, which is how a running instance is recognised.
exec "$VIGIL_REPO/infra/bin/submit-named-job.sh" vigil-feature-jobs \
    "${VIGIL_FEATURE_JOB_JAR:-$VIGIL_REPO/feature-jobs}" \
    io.vigil.features.FeatureJob "${VIGIL_FEATURE_START_TIMEOUT:-60}" \
    --bootstrap-servers "127.0.0.1:$VIGIL_KAFKA_PORT" \
    --redis-host 127.0.0.1 \
    --redis-port "$VIGIL_REDIS_PORT" \
    --checkpoint-interval "${VIGIL_FEATURE_CHECKPOINT_INTERVAL:-10s}" \
    --parallelism "${VIGIL_FEATURE_PARALLELISM:-2}" \
    ${VIGIL_FEATURE_STATE_BACKEND:+--state-backend "$VIGIL_FEATURE_STATE_BACKEND"} \
    -- "$@"
