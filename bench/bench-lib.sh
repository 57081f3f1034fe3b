# shellcheck shell=bash
# Shared by the benchmark drivers in bench/. A run gets its own topics (RUN_ID.transactions, ...), Feast
# project, consumer group and feature job on the running local stack, so it neither reads nor disturbs
# anyone's data, and removes them at the end (BENCH_KEEP=1 keeps them for a look).
# shellcheck source=../infra/bin/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../infra/bin/lib.sh"

RUN_ID="bench$(date +%s)"
BENCH_JOB=""
BENCH_CP=""
BOOTSTRAP="127.0.0.1:$VIGIL_KAFKA_PORT"
REST="http://127.0.0.1:$VIGIL_FLINK_REST_PORT"
CLK_TCK=$(getconf CLK_TCK)

# How warm the TaskManager is when the run starts: its uptime and the jobs that ended on the cluster before.
# A TaskManager's first jobs run slower, most likely compiling Flink's own code (docs/features.md, "A cold
# TaskManager and a warm one"), so every benchmark prints this beside its figures.
bench_taskmanager_history() {
    local pid ended
    pid=$(part_pid flink-taskmanager)
    [[ -n $pid ]] || { echo "TaskManager not running"; return; }
    ended=$(curl -sf --max-time 5 "$REST/jobs/overview" | grep -oE '"state":"(FINISHED|CANCELED|FAILED)"' | wc -l)
    echo "TaskManager up $(($(ps -o etimes= -p "$pid") / 60)) min with $ended jobs ended on the cluster before this run"
}
BENCH_TASKMANAGER_HISTORY=$(bench_taskmanager_history)

# bench_machine [DETAIL]: the line with the conditions of the run, printed beside its figures.
bench_machine() {
    echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $BENCH_TASKMANAGER_HISTORY${1:+; $1}"
}

# The stack must be up and the TaskManager free: the benchmark job takes both slots, and another job
# would share the two cores anyway.
bench_require_stack() {
    local overview total free
    overview=$(flink_overview) || die "the local stack is not up; run ./vigil up first"
    tcp_open "$VIGIL_KAFKA_PORT" || die "Kafka does not answer on $BOOTSTRAP; run ./vigil up first"
    [[ $(redis-cli -p "$VIGIL_REDIS_PORT" ping 2>/dev/null) == PONG ]] ||
        die "Redis does not answer on 127.0.0.1:$VIGIL_REDIS_PORT; run ./vigil up first"
    total=$(json_number "$overview" slots-total)
    free=$(json_number "$overview" slots-available)
    ((total >= 2 && free == total)) ||
        die "the benchmark needs the TaskManager to itself ($free of $total slots free): list jobs with ./vigil flink list, stop one with ./vigil flink cancel <id>"
}

# bench_classpath [MODULE]: classpath of the benchmark programs in MODULE's test sources (default feature-jobs),
# compiled once per change.
bench_classpath() {
    local name=${1:-feature-jobs}
    local module="$VIGIL_REPO/$name" cp_file="$VIGIL_REPO/$name/target/bench.cp"
    say "compiling the benchmark programs (mvn -pl $name test-compile)"
    # shellcheck disable=SC2086 # VIGIL_MVN_ARGS is a list of Maven options
    (cd "$VIGIL_REPO" && mvn -B -q $VIGIL_MVN_ARGS -pl "$name" test-compile dependency:build-classpath -Dspotless.check.skip=true \
        -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file") >"$LOG_DIR/maven-bench.log" 2>&1 ||
        die "compiling the benchmark programs failed (build the project first: mvn -B -DskipTests install); see ${LOG_DIR#"$VIGIL_HOME"/}/maven-bench.log"
    BENCH_CP="$module/target/test-classes:$module/target/classes:$(<"$cp_file")"
}

# bench_java MAIN_CLASS ARGS...: a benchmark program; Kafka client logs go to var/log/bench.log.
bench_java() {
    java -Xmx256m "-Dlog4j2.configurationFile=$VIGIL_REPO/infra/kafka/log4j2.properties" \
        "-Dvigil.log.file=$LOG_DIR/bench.log" -cp "$BENCH_CP" "$@"
}

# The run's topics: those of infra/topics.conf with the prefix RUN_ID. instead of vigil.
bench_create_topics() {
    local file="$VAR/run/$RUN_ID.topics"
    sed -e 's/^vigil\./'"$RUN_ID"'./' "$VIGIL_REPO/infra/topics.conf" >"$file"
    kafka_tool "$VIGIL_REPO/infra/kafka/EnsureTopics.java" "$BOOTSTRAP" "$file" >/dev/null ||
        die "creating the topics $RUN_ID.* failed; see ${LOG_DIR#"$VIGIL_HOME"/}/kafka-tools.log"
    rm -f "$file"
}

# bench_submit_job EXTRA_JOB_ARGS...: the feature job on the run's topics and Feast project.
bench_submit_job() {
    BENCH_JOB=$("$VIGIL_REPO/infra/bin/submit-feature-job.sh" \
        --transactions-topic "$RUN_ID.transactions" --labels-topic "$RUN_ID.labels" \
        --features-topic "$RUN_ID.features" --dead-letter-topic "$RUN_ID.dead-letter" \
        --project "$RUN_ID" --group-id "$RUN_ID-features" --transactional-id-prefix "$RUN_ID-feature-log" \
        --starting-offsets earliest "$@") || die "submitting the feature job failed"
    # RUNNING is reported before every task is deployed; wait for all of them.
    local deadline=$((SECONDS + 60))
    until curl -sf "$REST/jobs/$BENCH_JOB" | grep -q '"status-counts":{[^}]*}' &&
        [[ $(curl -sf "$REST/jobs/$BENCH_JOB" | grep -o '"status-counts":{[^}]*}' |
            grep -o '"[A-Z]*":[1-9][0-9]*' | grep -cv RUNNING) == 0 ]]; do
        ((SECONDS < deadline)) || die "the tasks of job $BENCH_JOB did not all start within 60 s"
        sleep 0.5
    done
}

bench_cancel_job() {
    [[ -n $BENCH_JOB ]] || return 0
    curl -sf -o /dev/null -X PATCH "$REST/jobs/$BENCH_JOB?mode=cancel" || true
    local deadline=$((SECONDS + 60))
    while [[ $(curl -sf "$REST/jobs/$BENCH_JOB/status" 2>/dev/null) == *'"RUNNING"'* ||
        $(curl -sf "$REST/jobs/$BENCH_JOB/status" 2>/dev/null) == *'"CANCELLING"'* ]] && ((SECONDS < deadline)); do
        sleep 0.5
    done
    BENCH_JOB=""
}

# bench_job_metric NAME OPERATOR: a job operator metric summed over subtasks and over the operators whose
# name starts with OPERATOR (e.g. online_store:_ for both views' writers), from the Prometheus reporters of
# the stack (the TaskManager's port is one of VIGIL_FLINK_PROM_PORTS).
bench_job_metric() {
    local name=$1 operator=$2 port
    for ((port = ${VIGIL_FLINK_PROM_PORTS%-*}; port <= ${VIGIL_FLINK_PROM_PORTS#*-}; port++)); do
        curl -sf --max-time 5 "http://127.0.0.1:$port/metrics" || true
    done | grep -F "flink_taskmanager_job_task_operator_$name{" | grep -F "job_id=\"$BENCH_JOB\"" |
        grep -F "operator_name=\"$operator" | awk '{ s += $NF } END { printf "%d\n", s }'
}

# bench_job_histogram NAME OPERATOR: "p50 p99" of a job histogram over its subtasks and the operators whose
# name starts with OPERATOR (the highest value of each; Flink's histograms hold the last samples of each
# subtask only).
bench_job_histogram() {
    local name=$1 operator=$2 port
    for ((port = ${VIGIL_FLINK_PROM_PORTS%-*}; port <= ${VIGIL_FLINK_PROM_PORTS#*-}; port++)); do
        curl -sf --max-time 5 "http://127.0.0.1:$port/metrics" || true
    done | grep -E "^flink_taskmanager_job_task_operator_${name}\{" | grep -F "job_id=\"$BENCH_JOB\"" |
        grep -F "operator_name=\"$operator" | awk '
            /quantile="0.5"/ { if ($NF > p50) p50 = $NF }
            /quantile="0.99"/ { if ($NF > p99) p99 = $NF }
            END { printf "%.0f %.0f\n", p50, p99 }'
}

# CPU time (user + system, clock ticks) of a process so far; 0 when it is gone.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Busy clock ticks of the whole machine (all cores) so far.
machine_busy_ticks() {
    awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

# cpu_begin: snapshot of the stack's processes and the machine; cpu_report WALL_SECONDS [NAME TICKS]...
# prints the cores each one used over the interval (extra NAME TICKS pairs for processes that ended).
declare -A CPU_START
cpu_begin() {
    local part pid
    for part in kafka redis flink-jobmanager flink-taskmanager; do
        pid=$(part_pid "$part")
        CPU_START[$part]="$pid $(cpu_ticks "$pid")"
    done
    CPU_START[machine]=$(machine_busy_ticks)
}

cpu_report() {
    local wall=$1 part pid start ticks ours=0 machine
    shift
    printf '  CPU over the run (cores = CPU seconds / wall seconds; the machine has %d):\n' "$(nproc)"
    for part in flink-taskmanager kafka redis flink-jobmanager; do
        read -r pid start <<<"${CPU_START[$part]}"
        ticks=$(($(cpu_ticks "$pid") - start))
        ours=$((ours + ticks))
        awk -v n="$part" -v t="$ticks" -v hz="$CLK_TCK" -v w="$wall" \
            'BEGIN { printf "    %-20s %7.1f s  %5.2f cores\n", n, t / hz, t / hz / w }'
    done
    while (($# >= 2)); do
        ours=$((ours + $2))
        awk -v n="$1" -v t="$2" -v hz="$CLK_TCK" -v w="$wall" \
            'BEGIN { printf "    %-20s %7.1f s  %5.2f cores\n", n, t / hz, t / hz / w }'
        shift 2
    done
    machine=$(($(machine_busy_ticks) - CPU_START[machine]))
    awk -v t="$((machine - ours))" -v hz="$CLK_TCK" -v w="$wall" \
        'BEGIN { if (t < 0) t = 0; printf "    %-20s %7.1f s  %5.2f cores\n", "everything else", t / hz, t / hz / w }'
}

bench_cleanup() {
    bench_cancel_job
    [[ ${BENCH_CLEANED:-} == "$RUN_ID" ]] && return
    BENCH_CLEANED=$RUN_ID
    [[ ${BENCH_KEEP:-0} == 1 ]] && {
        warn "BENCH_KEEP=1: topics $RUN_ID.*, Redis keys of project $RUN_ID and group $RUN_ID-features are kept"
        return
    }
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --delete \
        --topic "${RUN_ID}[.].*" >/dev/null 2>&1 || warn "could not delete the topics $RUN_ID.*"
    # Keys end with the Feast project; a server-side SCAN deletes them without shipping binary keys around.
    redis-cli -p "$VIGIL_REDIS_PORT" EVAL "local c = '0' repeat local r = redis.call('SCAN', c, 'MATCH', ARGV[1], 'COUNT', 1000) c = r[1] for _, k in ipairs(r[2]) do redis.call('UNLINK', k) end until c == '0' return 0" \
        0 "*$RUN_ID" >/dev/null || warn "could not delete the Redis keys of project $RUN_ID"
    # The store's reset key starts with the project (docs/feast-layout.md, "A missing snapshot").
    redis-cli -p "$VIGIL_REDIS_PORT" UNLINK "$RUN_ID:vigil:reset_at" >/dev/null ||
        warn "could not delete the reset key of project $RUN_ID"
}

# bench_scoring_jobs MODEL: the live feature job, a champion for MODEL (the registry's, or one trained by
# infra/bin/bootstrap-champion.sh as `make run` does) and the scoring job starting at the latest
# transactions, so no backlog is scored during a run. Each step is idempotent. Sets LIVE_FEATURE_JOB and
# LIVE_SCORING_JOB to their Flink job ids.
bench_scoring_jobs() {
    local model=$1
    flink_overview >/dev/null || die "the local stack is not up; run ./vigil up first"
    LIVE_FEATURE_JOB=$("$VIGIL_REPO/infra/bin/submit-feature-job.sh") || die "submitting the feature job failed"
    VIGIL_SCORING_MODEL=$model "$VIGIL_REPO/infra/bin/bootstrap-champion.sh" || die "no champion for model $model"
    LIVE_SCORING_JOB=$(VIGIL_SCORING_MODEL=$model "$VIGIL_REPO/infra/bin/submit-scoring-job.sh" --starting-offsets latest) ||
        die "submitting the scoring job failed (it needs a free TaskManager slot: ./vigil flink list)"
    say "feature job $LIVE_FEATURE_JOB, scoring job $LIVE_SCORING_JOB (model $model); measuring"
}
