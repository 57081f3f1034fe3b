# shellcheck shell=bash
# Shared by the local-stack scripts: settings, process bookkeeping, port checks and the Maven jar fetch.
# Parts: kafka, redis, flink-jobmanager, flink-taskmanager, prometheus, and the retrain loop's services
# review-queue and retrainer (the CLI jar). A Java part is recognised by
# "-Dvigil.part=<part> -Dvigil.home=<VIGIL_HOME>" on its command line, Prometheus by its config file under
# VIGIL_HOME (part_marker), Redis by its working directory, so a lost pid file never leaves an orphan that
# down/status cannot see.

VIGIL_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../stack.env
source "$VIGIL_REPO/infra/stack.env"
VIGIL_HOME="$(mkdir -p "$VIGIL_HOME" && cd "$VIGIL_HOME" && pwd)"

VAR="$VIGIL_HOME/var"
RUN_DIR="$VAR/run"
LOG_DIR="$VAR/log"
LIB_DIR="$VAR/lib"
FLINK_CONF="$VAR/flink/conf"
PARTS=(kafka redis flink-jobmanager flink-taskmanager prometheus review-queue retrainer guard)

say() { printf 'vigil: %s\n' "$*"; }
warn() { printf 'vigil: %s\n' "$*" >&2; }
die() {
    warn "$1"
    exit "${2:-1}"
}

require_cmd() {
    local cmd=$1 package=$2
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd is missing; run: sudo apt-get install -y $package" 2
}

# Ports a part listens on, as "port:VARIABLE" pairs (the variable names the setting to change).
part_ports() {
    case $1 in
        kafka) echo "$VIGIL_KAFKA_PORT:VIGIL_KAFKA_PORT $VIGIL_KAFKA_CONTROLLER_PORT:VIGIL_KAFKA_CONTROLLER_PORT" ;;
        redis) echo "$VIGIL_REDIS_PORT:VIGIL_REDIS_PORT" ;;
        flink-jobmanager) echo "$VIGIL_FLINK_REST_PORT:VIGIL_FLINK_REST_PORT $VIGIL_FLINK_RPC_PORT:VIGIL_FLINK_RPC_PORT" ;;
        flink-taskmanager) echo "" ;;
        prometheus) echo "$VIGIL_PROMETHEUS_PORT:VIGIL_PROMETHEUS_PORT" ;;
        review-queue) echo "$VIGIL_REVIEW_PORT:VIGIL_REVIEW_PORT" ;;
        retrainer) echo "$VIGIL_RETRAIN_METRICS_PORT:VIGIL_RETRAIN_METRICS_PORT" ;;
        guard) echo "$VIGIL_GUARD_METRICS_PORT:VIGIL_GUARD_METRICS_PORT" ;;
    esac
}

# The command-line text that marks this VIGIL_HOME's instance of a part (not Redis: see is_ours). Prometheus
# takes no -D options; its config file lives under VIGIL_HOME (infra/bin/prometheus.sh passes it first).
part_marker() {
    if [[ $1 == prometheus ]]; then
        echo "--config.file=$VAR/prometheus/prometheus.yml "
    else
        echo "-Dvigil.part=$1 -Dvigil.home=$VIGIL_HOME "
    fi
}

# True when pid is alive and is this VIGIL_HOME's instance of the part (guards against pid reuse).
is_ours() {
    local pid=$1 part=$2
    [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
    if [[ $part == redis ]]; then
        [[ $(cat "/proc/$pid/comm" 2>/dev/null) == redis-server &&
            $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$VAR/redis" ]]
    else
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(part_marker "$part")"
    fi
}

# True when pid is any part of this VIGIL_HOME's stack.
is_stack_process() {
    local part
    for part in "${PARTS[@]}"; do
        is_ours "$1" "$part" && return 0
    done
    return 1
}

# Pid of the running part or nothing; clears a stale pid file and finds a process whose pid file was lost.
part_pid() {
    local part=$1 pidfile="$RUN_DIR/$1.pid" pid=""
    [[ -f $pidfile ]] && pid=$(<"$pidfile")
    if is_ours "$pid" "$part"; then
        echo "$pid"
        return
    fi
    rm -f "$pidfile"
    if [[ $part == redis ]]; then
        pid=$(port_owner_pid "$VIGIL_REDIS_PORT")
    else
        pid=$(pgrep -f -- "$(part_marker "$part")" | head -n1 || true)
    fi
    if is_ours "$pid" "$part"; then
        mkdir -p "$RUN_DIR"
        echo "$pid" >"$pidfile"
        echo "$pid"
    fi
}

# Pid listening on a loopback/any TCP port, or nothing.
port_owner_pid() {
    ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true
}

port_in_use() {
    [[ -n $(ss -ltnH "sport = :$1" 2>/dev/null) ]]
}

describe_pid() {
    local pid=$1
    if [[ -r /proc/$pid/cmdline ]]; then
        printf 'pid %s (%s)' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" | tr -s ' ' | sed 's/ $//' | cut -c1-120)"
    else
        printf 'a process this user cannot see'
    fi
}

# Fails when a port of the part is taken by anything but the part's own process.
check_ports_free() {
    local part=$1 own_pid=${2:-} entry port var owner
    for entry in $(part_ports "$part"); do
        port=${entry%%:*}
        var=${entry#*:}
        port_in_use "$port" || continue
        owner=$(port_owner_pid "$port")
        [[ -n $own_pid && $owner == "$own_pid" ]] && continue
        die "port $port ($var, for $part) is already taken by $(describe_pid "$owner"); stop it or choose another port: export $var=<port>"
    done
}

tcp_open() {
    timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Last lines of a part's logs, printed when it fails to come up.
show_log_tail() {
    local file
    for file in "$@"; do
        [[ -s $file ]] || continue
        warn "last 30 lines of ${file#"$VIGIL_HOME"/}:"
        tail -n 30 "$file" >&2
    done
}

# wait_until "PART..." TIMEOUT_S CHECK_FUNCTION LOG...: polls the check every 0.5 s; fails early when a part died.
wait_until() {
    local parts=$1 timeout=$2 check=$3 deadline part
    shift 3
    deadline=$((SECONDS + timeout))
    until "$check"; do
        for part in $parts; do
            if [[ -z $(part_pid "$part") ]]; then
                show_log_tail "$@"
                die "$part exited during startup (logs above)"
            fi
        done
        if ((SECONDS >= deadline)); then
            show_log_tail "$@"
            die "${parts// / and } did not become ready within ${timeout}s (logs above); ./vigil down stops what did start"
        fi
        sleep 0.5
    done
}

# start_java PART JVM_ARGS... MAIN_CLASS ARGS...: runs in its own session so a closed terminal or Ctrl-C in
# the shell that ran "up" does not take it down. stdout/stderr (JVM crashes, early errors) go to PART.out.
start_java() {
    local part=$1
    shift
    # The previous run's log moves aside, so a failed start shows only its own lines.
    [[ -s $LOG_DIR/$part.log ]] && mv -f "$LOG_DIR/$part.log" "$LOG_DIR/$part.log.prev"
    setsid java "-Dvigil.part=$part" "-Dvigil.home=$VIGIL_HOME" "$@" </dev/null >"$LOG_DIR/$part.out" 2>&1 9>&- &
    echo $! >"$RUN_DIR/$part.pid"
}

# stop_part PART: SIGTERM, then SIGKILL after VIGIL_STOP_TIMEOUT seconds. Prints what it did.
stop_part() {
    local part=$1 pid deadline
    pid=$(part_pid "$part")
    if [[ -z $pid ]]; then
        printf '%-18s not running\n' "$part"
        return
    fi
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + VIGIL_STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        printf '%-18s killed (pid %s ignored SIGTERM for %ss)\n' "$part" "$pid" "$VIGIL_STOP_TIMEOUT"
    else
        printf '%-18s stopped (pid %s)\n' "$part" "$pid"
    fi
    rm -f "$RUN_DIR/$part.pid"
}

rss_mb() {
    local kb
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true)
    echo $(((${kb:-0} + 512) / 1024))
}

# render TEMPLATE TARGET: replaces each @NAME@ with the value of NAME from stack.env (@VIGIL_VAR@: $VIGIL_HOME/var).
render() {
    local template=$1 target=$2 name args=()
    for name in VIGIL_VAR VIGIL_KAFKA_PORT VIGIL_KAFKA_CONTROLLER_PORT VIGIL_REDIS_PORT VIGIL_FLINK_REST_PORT \
        VIGIL_FLINK_RPC_PORT VIGIL_FLINK_PROM_PORTS VIGIL_FLINK_TM_SLOTS VIGIL_FLINK_JM_PROCESS_SIZE \
        VIGIL_FLINK_TM_PROCESS_SIZE; do
        if [[ $name == VIGIL_VAR ]]; then
            args+=(-e "s|@$name@|$VAR|g")
        else
            args+=(-e "s|@$name@|${!name}|g")
        fi
    done
    mkdir -p "$(dirname "$target")"
    sed "${args[@]}" "$template" >"$target"
}

# The jar sets are fetched once per version: the marker holds a digest of the pom and the parent's versions.
jars_fingerprint() {
    {
        cat "$VIGIL_REPO/infra/$1/pom.xml"
        grep -E '<[a-z0-9.-]+\.version>' "$VIGIL_REPO/pom.xml"
    } | sha256sum | cut -d' ' -f1
}

# ensure_jars kafka|flink: copies the part's runtime classpath from Maven into var/lib/<part>.
ensure_jars() {
    local part=$1 marker="$LIB_DIR/$1/.vigil-jars" fingerprint log goals
    fingerprint=$(jars_fingerprint "$part")
    if [[ -f $marker && $(<"$marker") == "$fingerprint" ]]; then
        return
    fi
    require_cmd mvn maven
    goals=(dependency:copy-dependencies@lib)
    [[ $part == flink ]] && goals+=(dependency:copy-dependencies@prometheus)
    rm -rf "${LIB_DIR:?}/$part" "$LIB_DIR/$part-plugins"
    mkdir -p "$LIB_DIR" "$LOG_DIR"
    log="$LOG_DIR/maven-$part.log"
    say "fetching the $part jars with Maven into ${LIB_DIR#"$VIGIL_HOME"/}/$part (the first run downloads them: a few minutes)"
    # shellcheck disable=SC2086 # VIGIL_MVN_ARGS is a list of Maven options
    if ! mvn -B $VIGIL_MVN_ARGS -f "$VIGIL_REPO/infra/$part/pom.xml" "${goals[@]}" -Dvigil.var="$VAR" 2>&1 |
        tee "$log" |
        awk '/^\[INFO\] Downloaded from/ { n++; if (n % 25 == 0) { printf "vigil:   %d files downloaded\n", n; fflush() } }
             END { if (n % 25) printf "vigil:   %d files downloaded\n", n }'; then
        grep -E '^\[(ERROR|WARNING)\]' "$log" | tail -n 20 >&2 || true
        die "Maven could not fetch the $part jars; full output: ${log#"$VIGIL_HOME"/}"
    fi
    echo "$fingerprint" >"$marker"
}

# Runs a Kafka tool (or a single-file program) on the broker classpath: short-lived, so it starts fast and logs
# to a file.
kafka_tool() {
    java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
        "-Dlog4j2.configurationFile=$VIGIL_REPO/infra/kafka/log4j2.properties" \
        "-Dvigil.log.file=$LOG_DIR/kafka-tools.log" \
        -cp "$LIB_DIR/kafka/*" "$@" </dev/null
}

# The --add-opens/--add-exports list every Flink JVM needs, read from the rendered config.
flink_jvm_opens() {
    sed -n 's/^env\.java\.opts\.all:[[:space:]]*//p' "$FLINK_CONF/config.yaml" | tail -n1
}

flink_overview() {
    curl -sf --max-time 2 "http://127.0.0.1:$VIGIL_FLINK_REST_PORT/overview" 2>/dev/null
}

# json_number JSON KEY: a top-level number from a flat JSON object (keeps jq off the requirements).
json_number() {
    grep -o "\"$2\":[0-9]*" <<<"$1" | head -n1 | cut -d: -f2
}

# Serialises up and down of one VIGIL_HOME (two terminals, or a test next to "make run").
# Long-running children must not inherit fd 9 (start_java and redis close it), or they would hold the lock.
lock_stack() {
    mkdir -p "$RUN_DIR"
    exec 9>"$RUN_DIR/stack.lock"
    flock -w 300 9 || die "another ./vigil up or down of $VIGIL_HOME is still running"
}
