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
#   VIGIL_FEATURE_JOB_JAR              the job jar (default: the newest feature-jobs/target/*-job.jar)
#   VIGIL_FEATURE_START_TIMEOUT        seconds to wait for the job to run (default 60)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The name FeatureJob gives its job (env.execute), which is how an existing instance is recognised.
JOB_NAME=vigil-feature-jobs
parallelism=${VIGIL_FEATURE_PARALLELISM:-2}
checkpoint_interval=${VIGIL_FEATURE_CHECKPOINT_INTERVAL:-10s}
start_timeout=${VIGIL_FEATURE_START_TIMEOUT:-60}
rest="http://127.0.0.1:$VIGIL_FLINK_REST_PORT"

require_cmd curl curl
flink_overview >/dev/null || die "the Flink cluster does not answer on $rest; run ./vigil up first"

job_jar() {
    local jar newest=""
    for jar in "$VIGIL_REPO"/feature-jobs/target/vigil-feature-jobs-*-job.jar; do
        [[ -f $jar && (-z $newest || $jar -nt $newest) ]] && newest=$jar
    done
    echo "$newest"
}

# Ids of the jobs with our name in a non-terminal state, one per line. /jobs/overview is
# {"jobs":[{"jid":..,"name":..,..,"state":..,"tasks":{..}},..]}: cutting at "{" leaves each job's
# jid, name and state in one piece (its "tasks" object starts after them).
active_jobs() {
    curl -sf --max-time 5 "$rest/jobs/overview" | tr '{' '\n' | grep -F "\"name\":\"$JOB_NAME\"" |
        grep -E '"state":"(INITIALIZING|CREATED|RUNNING|RESTARTING|RECONCILING|SUSPENDED)"' |
        sed -n 's/.*"jid":"\([0-9a-f]*\)".*/\1/p' || true
}

job_state() {
    curl -sf --max-time 5 "$rest/jobs/$1/status" | sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p'
}

wait_running() {
    local job=$1 deadline=$((SECONDS + start_timeout)) state
    while :; do
        state=$(job_state "$job")
        case $state in
            RUNNING) return ;;
            FAILED | CANCELED | FINISHED)
                die "feature job $job is $state; see $rest/#/job/completed/$job and ${LOG_DIR#"$VIGIL_HOME"/}/flink-jobmanager.log" ;;
        esac
        ((SECONDS < deadline)) || die "feature job $job is still ${state:-unknown} after ${start_timeout}s"
        sleep 0.5
    done
}

existing=$(active_jobs)
if [[ -n $existing ]]; then
    (($(wc -l <<<"$existing") == 1)) || warn "more than one active $JOB_NAME job: $(tr '\n' ' ' <<<"$existing")"
    job=$(head -n1 <<<"$existing")
    warn "feature job already active: $job (not submitting another)"
    wait_running "$job"
    echo "$job"
    exit 0
fi

jar=${VIGIL_FEATURE_JOB_JAR:-$(job_jar)}
[[ -n $jar && -f $jar ]] ||
    die "no feature job jar; build it: mvn -B -pl feature-jobs -am install -DskipTests" 2

# The stack's endpoints and the settings above, unless the extra arguments give them.
args=()
add_default() {
    [[ " ${extra[*]} " == *" $1 "* ]] || args+=("$1" "$2")
}
extra=("$@")
add_default --bootstrap-servers "127.0.0.1:$VIGIL_KAFKA_PORT"
add_default --redis-host 127.0.0.1
add_default --redis-port "$VIGIL_REDIS_PORT"
add_default --checkpoint-interval "$checkpoint_interval"
add_default --parallelism "$parallelism"
job=$("$VIGIL_REPO/infra/bin/submit-job.sh" "$jar" io.vigil.features.FeatureJob "${args[@]}" "$@")
warn "feature job submitted: $job ($rest/#/job/running/$job)"
wait_running "$job"
echo "$job"
