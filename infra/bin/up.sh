#!/usr/bin/env bash
# Starts the local stack: Kafka (KRaft), Redis, a Flink session cluster, Prometheus and three services from the
# CLI jar (the reviewers' queue, the retrainer and the rollback guard), all on 127.0.0.1, all state under
# $VIGIL_HOME/var. Idempotent: a part that already runs is left alone. Settings: infra/stack.env.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Flink's entrypoints, BashJavaUtils and the CLI find their config and plugins through these.
export FLINK_CONF_DIR="$FLINK_CONF" FLINK_PLUGINS_DIR="$LIB_DIR/flink-plugins" FLINK_LIB_DIR="$LIB_DIR/flink"

launch_kafka() {
    local cluster_id
    if [[ -n ${RUNNING[kafka]} ]]; then
        say "kafka already running (pid ${RUNNING[kafka]})"
        return
    fi
    render "$VIGIL_REPO/infra/kafka/server.properties" "$VAR/kafka/server.properties"
    if [[ ! -f $VAR/kafka/data/meta.properties ]]; then
        cluster_id=$(kafka_tool kafka.tools.StorageTool random-uuid)
        kafka_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$VAR/kafka/server.properties" \
            >>"$LOG_DIR/kafka-tools.log" 2>&1 ||
            die "formatting the Kafka storage failed; see ${LOG_DIR#"$VIGIL_HOME"/}/kafka-tools.log"
    fi
    # Flags of Kafka's own kafka-server-start.sh, with a smaller heap.
    start_java kafka "-Xmx$VIGIL_KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
        -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
        "-Dlog4j2.configurationFile=$VIGIL_REPO/infra/kafka/log4j2.properties" \
        "-Dvigil.log.file=$LOG_DIR/kafka.log" \
        -cp "$LIB_DIR/kafka/*" kafka.Kafka "$VAR/kafka/server.properties"
    say "kafka starting (pid $(<"$RUN_DIR/kafka.pid"))"
}

kafka_ready() { tcp_open "$VIGIL_KAFKA_PORT"; }

# Creates the topics of infra/topics.conf that do not exist yet, all in one JVM (infra/kafka/EnsureTopics.java);
# an existing topic is never altered.
create_topics() {
    local created
    created=$(kafka_tool "$VIGIL_REPO/infra/kafka/EnsureTopics.java" "127.0.0.1:$VIGIL_KAFKA_PORT" \
        "$VIGIL_REPO/infra/topics.conf") ||
        die "creating the Kafka topics of infra/topics.conf failed; see ${LOG_DIR#"$VIGIL_HOME"/}/kafka-tools.log"
    if [[ -n $created ]]; then
        say "kafka topics created: ${created//$'\n'/ }"
    else
        say "kafka topics of infra/topics.conf already exist"
    fi
}

launch_redis() {
    if [[ -n ${RUNNING[redis]} ]]; then
        say "redis already running (pid ${RUNNING[redis]})"
        return
    fi
    # Entity hashes with a history snapshot stay listpacks: about half the memory (docs/feast-layout.md).
    redis-server --port "$VIGIL_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
        --hash-max-listpack-value 1024 \
        --pidfile "$RUN_DIR/redis.pid" --logfile "$LOG_DIR/redis.log" --dir "$VAR/redis" 9>&- ||
        die "redis-server did not start; see ${LOG_DIR#"$VIGIL_HOME"/}/redis.log"
    say "redis starting"
}

redis_ready() { [[ $(redis-cli -p "$VIGIL_REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

# Sets FLINK_JVM_PARAMS and FLINK_DYNAMIC_PARAMS for GET_JM_RESOURCE_PARAMS or GET_TM_RESOURCE_PARAMS, the
# way Flink's bin/config.sh does: BashJavaUtils derives heap, direct and metaspace sizes from config.yaml.
flink_resource_params() {
    local output results
    output=$(java -cp "$LIB_DIR/flink/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
        --configDir "$FLINK_CONF" 2>&1) || {
        warn "$output"
        die "Flink rejected the memory settings of ${FLINK_CONF#"$VIGIL_HOME"/}/config.yaml (output above)"
    }
    results=$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$output" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')
    if [[ $(grep -c . <<<"$results") -ne 2 ]]; then
        warn "$output"
        die "unexpected output of Flink's BashJavaUtils $1 (above)"
    fi
    read -r -a FLINK_JVM_PARAMS <<<"$(head -n1 <<<"$results")"
    read -r -a FLINK_DYNAMIC_PARAMS <<<"$(tail -n1 <<<"$results")"
}

render_flink_conf() {
    local file
    render "$VIGIL_REPO/infra/flink/conf/config.yaml" "$FLINK_CONF/config.yaml"
    for file in log4j.properties log4j-cli.properties; do
        cp "$VIGIL_REPO/infra/flink/conf/$file" "$FLINK_CONF/$file"
    done
}

# start_flink PART MAIN_CLASS RESOURCE_COMMAND ARGS...: with the env.java.opts.<role> of config.yaml (as
# Flink's own scripts add them) and a rotated GC log.
start_flink() {
    local part=$1 main=$2 resources=$3 opens role_opts
    shift 3
    flink_resource_params "$resources"
    read -r -a opens <<<"$(flink_jvm_opens)"
    read -r -a role_opts <<<"$(sed -n "s/^env\.java\.opts\.${part#flink-}: *//p" "$FLINK_CONF/config.yaml")"
    start_java "$part" "${FLINK_JVM_PARAMS[@]}" "${opens[@]}" "${role_opts[@]}" \
        "-Xlog:gc:file=$LOG_DIR/$part-gc.log:time,uptime:filecount=3,filesize=10m" \
        "-Dlog.file=$LOG_DIR/$part.log" \
        "-Dlog4j.configuration=file:$FLINK_CONF/log4j.properties" \
        "-Dlog4j.configurationFile=file:$FLINK_CONF/log4j.properties" \
        -cp "$LIB_DIR/flink/*" "$main" --configDir "$FLINK_CONF" "$@" "${FLINK_DYNAMIC_PARAMS[@]}"
    say "$part starting (pid $(<"$RUN_DIR/$part.pid"))"
}

launch_flink() {
    local jm=${RUNNING[flink-jobmanager]} tm=${RUNNING[flink-taskmanager]}
    if [[ -n $jm ]]; then
        say "flink-jobmanager already running (pid $jm)"
    else
        render_flink_conf
        start_flink flink-jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
            GET_JM_RESOURCE_PARAMS --executionMode cluster
    fi
    if [[ -n $tm ]]; then
        say "flink-taskmanager already running (pid $tm)"
    else
        [[ -f $FLINK_CONF/config.yaml ]] || render_flink_conf
        start_flink flink-taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
    fi
}

flink_ready() {
    local overview tms
    overview=$(flink_overview) || return 1
    tms=$(json_number "$overview" taskmanagers)
    ((${tms:-0} >= 1))
}

# launch_service PART HEAP CLI_JAR ARGS...: one of the services that run from the CLI jar, unless it runs already.
launch_service() {
    local part=$1 heap=$2 jar=$3
    shift 3
    if [[ -n ${RUNNING[$part]} ]]; then
        say "$part already running (pid ${RUNNING[$part]})"
        return
    fi
    start_java "$part" "-Xmx$heap" -jar "$jar" "$@"
    say "$part starting (pid $(<"$RUN_DIR/$part.pid"))"
}

# launch_services CLI_JAR: the retrain loop's review queue (web page, JSON API and /metrics on VIGIL_REVIEW_PORT)
# and retrainer, which trains and registers a shadow challenger for every approved retrain request (/metrics
# on VIGIL_RETRAIN_METRICS_PORT), both rebuilding their state from Kafka (docs/drift.md); and the rollback
# guard (docs/models.md, "Automatic rollback"; /metrics on VIGIL_GUARD_METRICS_PORT), which re-reads the
# last window of decisions at start, so a restart loses nothing.
launch_services() {
    local jar=$1 bootstrap="127.0.0.1:$VIGIL_KAFKA_PORT"
    # The retrainer and the guard open the registry at start; the first champion's registration fills it.
    mkdir -p "$VAR/registry"
    launch_service review-queue 256m "$jar" \
        review serve --bootstrap "$bootstrap" --bind 127.0.0.1 --port "$VIGIL_REVIEW_PORT"
    launch_service retrainer "$VIGIL_RETRAINER_HEAP" "$jar" \
        retrain follow --bootstrap "$bootstrap" --registry "$VAR/registry" --metrics-port "$VIGIL_RETRAIN_METRICS_PORT"
    # shellcheck disable=SC2086 # VIGIL_GUARD_OPTS is a list of options
    launch_service guard 128m "$jar" \
        guard --bootstrap "$bootstrap" --registry "$VAR/registry" --metrics-port "$VIGIL_GUARD_METRICS_PORT" \
        $VIGIL_GUARD_OPTS
}

# service_jar JAR: a private copy of the CLI jar for the services, named by its content. A JVM loads classes
# from its jar lazily, so a rebuild (make build) replacing cli/target's jar under a running service made it
# fail at the first class it had not loaded yet; ./vigil down removes the copies.
service_jar() {
    local jar=$1 copy
    copy="$RUN_DIR/vigil-cli-$(sha256sum "$jar" | cut -c1-12).jar"
    if [[ ! -f $copy ]]; then
        cp "$jar" "$copy.tmp"
        mv -f "$copy.tmp" "$copy"
    fi
    echo "$copy"
}

review_ready() { curl -sf --max-time 2 "http://127.0.0.1:$VIGIL_REVIEW_PORT/healthz" >/dev/null 2>&1; }
retrainer_ready() { curl -sf --max-time 2 "http://127.0.0.1:$VIGIL_RETRAIN_METRICS_PORT/metrics" >/dev/null 2>&1; }
guard_ready() { curl -sf --max-time 2 "http://127.0.0.1:$VIGIL_GUARD_METRICS_PORT/metrics" >/dev/null 2>&1; }

require_cmd java openjdk-17-jre-headless
require_cmd ss iproute2
require_cmd curl curl

lock_stack

# Ports first: a clash names the port, its setting and its owner before anything is fetched or started.
declare -A RUNNING
for part in "${PARTS[@]}"; do
    RUNNING[$part]=$(part_pid "$part")
    check_ports_free "$part" "${RUNNING[$part]}"
done

mkdir -p "$RUN_DIR" "$LOG_DIR" "$VAR/kafka" "$VAR/redis" \
    "$VAR/flink/checkpoints" "$VAR/flink/savepoints" "$VAR/flink/tmp" "$VAR/flink/web/jars"

# Every download and install happens before anything starts, so a failure there starts nothing.
ensure_jars kafka
ensure_jars flink
"$VIGIL_REPO/infra/bin/ensure-redis.sh"
"$VIGIL_REPO/infra/bin/ensure-deb.sh" prometheus prometheus
cli_jar=""
if [[ -z ${RUNNING[review-queue]} || -z ${RUNNING[retrainer]} || -z ${RUNNING[guard]} ]]; then
    cli_jar=$(service_jar "$("$VIGIL_REPO/infra/bin/cli-jar.sh")")
fi

# The JVMs start side by side; their readiness is awaited afterwards.
launch_kafka
launch_redis
launch_flink

wait_until kafka "$VIGIL_KAFKA_START_TIMEOUT" kafka_ready "$LOG_DIR/kafka.out" "$LOG_DIR/kafka.log"
create_topics
wait_until redis 10 redis_ready "$LOG_DIR/redis.log"
wait_until "flink-jobmanager flink-taskmanager" "$VIGIL_FLINK_START_TIMEOUT" flink_ready \
    "$LOG_DIR/flink-jobmanager.out" "$LOG_DIR/flink-jobmanager.log" \
    "$LOG_DIR/flink-taskmanager.out" "$LOG_DIR/flink-taskmanager.log"
"$VIGIL_REPO/infra/bin/prometheus.sh" start
launch_services "$cli_jar"
wait_until review-queue 60 review_ready "$LOG_DIR/review-queue.out"
wait_until retrainer 60 retrainer_ready "$LOG_DIR/retrainer.out"
wait_until guard 60 guard_ready "$LOG_DIR/guard.out"

say "stack is up:"
say "  kafka      127.0.0.1:$VIGIL_KAFKA_PORT (bootstrap servers)"
say "  redis      127.0.0.1:$VIGIL_REDIS_PORT"
say "  flink      http://127.0.0.1:$VIGIL_FLINK_REST_PORT (web UI and REST), metrics on ports $VIGIL_FLINK_PROM_PORTS"
say "  prometheus http://127.0.0.1:$VIGIL_PROMETHEUS_PORT (Flink reporters, scoring job on :$VIGIL_SCORING_METRICS_PORT)"
say "  reviews    http://127.0.0.1:$VIGIL_REVIEW_PORT (drift alerts awaiting a reviewer; retrainer metrics on :$VIGIL_RETRAIN_METRICS_PORT)"
say "  guard      automatic rollback of bad promotions, metrics on :$VIGIL_GUARD_METRICS_PORT"
say "  logs       ${LOG_DIR#"$VIGIL_HOME"/}/   ./vigil status | ./vigil down"
