#!/usr/bin/env bash
# Where the local stack's TaskManager spends its CPU: records a Java Flight Recorder profile of the running
# TaskManager (the JDK's own sampler, no agent) and prints the share of CPU samples per thread (task names,
# digits folded) and per top frame. Run it while a benchmark loads the stack, e.g. in another terminal during
# bench/scoring-latency.sh --rates 2000 --duration 60s.
#   bench/profile-taskmanager.sh [SECONDS] [TOP_N]     defaults: 30 seconds, 25 rows per table
# The recording stays in var/log/taskmanager-<time>.jfr (open it with JDK Mission Control for call trees).
set -euo pipefail
# shellcheck source=../infra/bin/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../infra/bin/lib.sh"

seconds=${1:-30} top=${2:-25}
[[ $seconds =~ ^[1-9][0-9]*$ && $top =~ ^[1-9][0-9]*$ ]] ||
    die "usage: bench/profile-taskmanager.sh [SECONDS] [TOP_N]" 64
# Both come with the JDK (openjdk-17-jdk-headless), not with a JRE.
require_cmd jcmd openjdk-17-jdk-headless
require_cmd jfr openjdk-17-jdk-headless
pid=$(part_pid flink-taskmanager)
[[ -n $pid ]] || die "no TaskManager of the local stack is running; run ./vigil up first"
recording="$VAR/log/taskmanager-$(date +%Y%m%dT%H%M%S).jfr"

jcmd "$pid" JFR.start name=vigil-profile settings=profile "duration=${seconds}s" "filename=$recording" >/dev/null
say "profiling TaskManager $pid for ${seconds}s into ${recording#"$VIGIL_HOME"/}"
# JFR writes the file when the recording ends, a moment after its duration.
recording_done() { ! jcmd "$pid" JFR.check name=vigil-profile 2>/dev/null | grep -q 'name=vigil-profile'; }
sleep "$seconds"
wait_until flink-taskmanager 30 recording_done flink-taskmanager

jfr print --events jdk.ExecutionSample "$recording" | awk -v top="$top" '
    /^jdk.ExecutionSample/ { frame = ""; thread = ""; next }
    /sampledThread = / {
        thread = $0
        sub(/^[^"]*"/, "", thread); sub(/".*$/, "", thread); gsub(/[0-9]+/, "N", thread)
        next
    }
    /^[[:space:]]+stackTrace = \[/ { in_stack = 1; next }
    in_stack && frame == "" && /\(/ {
        frame = $1; sub(/\(.*$/, "", frame)
        samples++; by_thread[thread]++; by_frame[frame]++
        in_stack = 0
    }
    function table(title, counts,    n, keys, i, j, tmp) {
        n = 0
        for (k in counts) keys[++n] = k
        for (i = 2; i <= n; i++) for (j = i; j > 1 && counts[keys[j]] > counts[keys[j - 1]]; j--) {
            tmp = keys[j]; keys[j] = keys[j - 1]; keys[j - 1] = tmp
        }
        printf "%s\n", title
        for (i = 1; i <= n && i <= top; i++) printf "  %5.1f %%  %s\n", 100 * counts[keys[i]] / samples, keys[i]
    }
    END {
        if (samples == 0) { print "no CPU samples recorded"; exit 1 }
        printf "%d CPU samples\n", samples
        table("by thread (Flink task threads are named after their chained operators):", by_thread)
        table("by top frame:", by_frame)
    }'
