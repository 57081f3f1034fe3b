#!/usr/bin/env bash
# Submits a job jar to the local Flink session cluster through the REST API (POST /jars/upload, then
# POST /jars/<id>/run) and prints the job id on stdout.
#   infra/bin/submit-job.sh [-p PARALLELISM] JAR ENTRY_CLASS [PROGRAM_ARGS...]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { die "usage: ./vigil submit-job [-p PARALLELISM] JAR ENTRY_CLASS [PROGRAM_ARGS...]" 64; }

parallelism=""
if [[ ${1:-} == -p ]]; then
    [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage
    parallelism=$2
    shift 2
fi
(($# >= 2)) || usage
jar=$1 entry_class=$2
shift 2
[[ -f $jar ]] || die "no such job jar: $jar"
require_cmd curl curl

rest="http://127.0.0.1:$VIGIL_FLINK_REST_PORT"
flink_overview >/dev/null || die "the Flink cluster does not answer on $rest; run ./vigil up first"

json_string() {
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

upload=$(curl -sS --fail-with-body -X POST -F "jarfile=@$jar" "$rest/jars/upload") ||
    die "uploading $jar failed: $upload"
jar_id=$(sed -n 's/.*"filename":"\([^"]*\)".*/\1/p' <<<"$upload")
jar_id=${jar_id##*/}
[[ -n $jar_id ]] || die "unexpected answer to the upload of $jar: $upload"

body="{\"entryClass\":$(json_string "$entry_class")"
[[ -n $parallelism ]] && body+=",\"parallelism\":$parallelism"
body+=",\"programArgsList\":["
sep=""
for arg in "$@"; do
    body+="$sep$(json_string "$arg")"
    sep=","
done
body+="]}"

run=$(curl -sS --fail-with-body -X POST -H 'Content-Type: application/json' -d "$body" "$rest/jars/$jar_id/run") ||
    die "running $entry_class from $jar failed: $run"
# The submitted job keeps its own copy of the jar in the blob store; the uploaded one is no longer needed.
curl -sS -o /dev/null -X DELETE "$rest/jars/$jar_id" || true
job_id=$(sed -n 's/.*"jobid":"\([0-9a-f]*\)".*/\1/p' <<<"$run")
[[ -n $job_id ]] || die "unexpected answer to the run of $entry_class: $run"
echo "$job_id"
