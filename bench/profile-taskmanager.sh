#!/usr/bin/env bash
# Where the local stack's TaskManager spends its CPU and allocates memory over an interval:
#   - the CPU time each thread used (the JVM's own per-thread counters, `jcmd Thread.print`, JIT compiler and GC
#     threads included), in cores;
#   - a Java Flight Recorder profile of the same interval (the JDK's own sampler, no agent): the share of its
#     execution samples per thread and per top frame, and its allocation samples weighted by bytes, per thread
#     and per first frame outside the JDK.
# Thread names have their digits folded. The execution samples only cover threads running Java code and are not
# CPU shares (a thread writing a large scrape showed 9 % of the samples and about 2 % of the CPU), so read the
# first table for where the CPU goes and the samples for what a thread does. Run it while a benchmark loads the
# stack, e.g. in another terminal during bench/scoring-latency.sh --rates 2000 --duration 60s; the profiler
# itself disturbs the stack (a 500 tx/s run it sampled had p99 13.9 s), so never quote latency from that run.
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
require_cmd jq jq
pid=$(part_pid flink-taskmanager)
[[ -n $pid ]] || die "no TaskManager of the local stack is running; run ./vigil up first"
recording="$VAR/log/taskmanager-$(date +%Y%m%dT%H%M%S).jfr"

# thread_cpu: "<native id> <cpu ms> <name>" per thread, from the JVM's thread dump.
thread_cpu() {
    jcmd "$pid" Thread.print | sed -nE 's/^"(.*)" .*cpu=([0-9.]+)ms .*nid=(0x[0-9a-f]+).*/\3 \2 \1/p'
}
cpu_before=$(thread_cpu)
jcmd "$pid" JFR.start name=vigil-profile settings=profile "duration=${seconds}s" "filename=$recording" >/dev/null
say "profiling TaskManager $pid for ${seconds}s into ${recording#"$VIGIL_HOME"/}"
# JFR writes the file when the recording ends, a moment after its duration.
recording_done() { ! jcmd "$pid" JFR.check name=vigil-profile 2>/dev/null | grep -q 'name=vigil-profile'; }
sleep "$seconds"
cpu_after=$(thread_cpu)
wait_until flink-taskmanager 30 recording_done flink-taskmanager

# Threads that ended during the interval are left out; threads that started count from zero. First line: the
# TaskManager's total in cores; then one line per thread name.
thread_table=$(awk -v seconds="$seconds" '
    NR == FNR { before[$1] = $2; next }
    {
        name = $0; sub(/^[^ ]+ [^ ]+ /, "", name); gsub(/[0-9]+/, "N", name)
        used = $2 - ($1 in before ? before[$1] : 0)
        by_name[name] += used; total += used
    }
    END {
        printf "%.2f\n", total / 1000 / seconds
        for (k in by_name) printf "  %5.3f  %s\n", by_name[k] / 1000 / seconds, k
    }' <(echo "$cpu_before") <(echo "$cpu_after"))
printf 'CPU by thread over %d s (cores; the machine has 2), TaskManager total %s cores:\n' \
    "$seconds" "$(head -n 1 <<<"$thread_table")"
# awk, not head: head exits after TOP lines, and sort, still writing a long table, then dies of SIGPIPE, which
# pipefail turns into a silent exit of the whole script.
tail -n +2 <<<"$thread_table" | sort -rn | awk -v top="$top" 'NR <= top'

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
        printf "JFR: %d execution samples\n", samples
        table("by thread (Flink task threads are named after their chained operators):", by_thread)
        table("by top frame:", by_frame)
    }'

# Allocation: JFR's allocation samples weighted by the bytes they stand for, by thread and by the first frame
# outside the JDK (the code that asked for the memory: Vigil, Flink, Kafka, Avro, ...). Young collections come
# as often as the heap fills, so allocated bytes per transaction are what sets their frequency. A thread's first
# sample weighs everything it allocated since it started, before the recording, so it is left out.
jfr print --json --events jdk.ObjectAllocationSample "$recording" | jq -r --argjson top "$top" --argjson seconds "$seconds" '
    [.recording.events | map(.values) | group_by(.eventThread.javaThreadId)[] | sort_by(.startTime) | .[1:][]
        | { thread: (.eventThread.javaName // "?" | gsub("[0-9]+"; "N")),
            site: ([.stackTrace.frames[]? | (.method.type.name | gsub("/"; ".")) + "." + .method.name
                    | select(test("^(java|javax|jdk|sun)\\.") | not)][0] // "(JDK only)"),
            bytes: .weight }] as $samples
    | ($samples | map(.bytes) | add // 0) as $total
    | def table(key): $samples | group_by(key) | map({k: (.[0] | key), b: (map(.bytes) | add)})
        | sort_by(-.b) | .[:$top][] | "  \(100 * .b / $total | . * 10 | round / 10) %  \(.b / 1048576 / $seconds | . * 10 | round / 10) MB/s  \(.k)";
    "JFR: allocation samples for \($total / 1048576 / $seconds | . * 10 | round / 10) MB/s allocated",
    "by thread:", table(.thread), "by first frame outside the JDK:", table(.site)'
