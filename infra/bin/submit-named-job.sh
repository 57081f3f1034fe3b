#!/usr/bin/env bash
# Submits a Vigil job jar to the local Flink session cluster unless a job of the same name is active,
# waits until it runs and prints its job id on stdout. The submit-*-job.sh scripts call it.
#   infra/bin/submit-named-job.sh JOB_NAME JAR ENTRY_CLASS START_TIMEOUT DEFAULTS... -- JOB_OPTIONS...
# JAR is a jar file, or a module directory whose newest target/*-job.jar is taken.
# DEFAULTS are option/value pairs (the stack's endpoints and settings); a JOB_OPTION of the same name
# replaces the default.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# >= 4)) || die "usage: submit-named-job.sh JOB_NAME JAR ENTRY_CLASS START_TIMEOUT DEFAULTS... -- JOB_OPTIONS..." 64
job_name=$1 jar=$2 entry_class=$3 start_timeout=$4
shift 4
defaults=()
while (($#)) && [[ $1 != -- ]]; do
    defaults+=("$1")
    shift
done
[[ ${1:-} == -- ]] && shift
extra=("$@")
rest="http://127.0.0.1:$VIGIL_FLINK_REST_PORT"

require_cmd curl curl
flink_overview >/dev/null || die "the Flink cluster does not answer on $rest; run ./vigil up first"

# Ids of the jobs with our name in a non-terminal state, one per line. /jobs/overview is
# {"jobs":[{"jid":..,"name":..,..,"state":..,"tasks":{..}},..]}: cutting at "{" leaves each job's
# jid, name and state in one piece (its "tasks" object starts after them).
active_jobs() {
    curl -sf --max-time 5 "$rest/jobs/overview" | tr '{' '\n' | grep -F "\"name\":\"$job_name\"" |
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
                die "$job_name $job is $state; see $rest/#/job/completed/$job and ${LOG_DIR#"$VIGIL_HOME"/}/flink-jobmanager.log" ;;
        esac
        ((SECONDS < deadline)) || die "$job_name $job is still ${state:-unknown} after ${start_timeout}s"
        sleep 0.5
    done
}

existing=$(active_jobs)
if [[ -n $existing ]]; then
    (($(wc -l <<<"$existing") == 1)) || warn "more than one active $job_name job: $(tr '\n' ' ' <<<"$existing")"
    job=$(head -n1 <<<"$existing")
    warn "$job_name already active: $job (not submitting another)"
    wait_running "$job"
    echo "$job"
    exit 0
fi

if [[ -d $jar ]]; then
    newest=""
    for candidate in "$jar"/target/*-job.jar; do
        [[ -f $candidate && (-z $newest || $candidate -nt $newest) ]] && newest=$candidate
    done
    jar=$newest
fi
[[ -n $jar && -f $jar ]] || die "no job jar for $job_name; build it: make build" 2

args=()
for ((i = 0; i + 1 < ${#defaults[@]}; i += 2)); do
    [[ " ${extra[*]} " == *" ${defaults[i]} "* ]] || args+=("${defaults[i]}" "${defaults[i + 1]}")
done
job=$("$VIGIL_REPO/infra/bin/submit-job.sh" "$jar" "$entry_class" "${args[@]}" "${extra[@]}")
warn "$job_name submitted: $job ($rest/#/job/running/$job)"
wait_running "$job"
echo "$job"
