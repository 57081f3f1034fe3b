#!/usr/bin/env bash
# Prometheus of the local stack (Debian's prometheus package), on 127.0.0.1:$VIGIL_PROMETHEUS_PORT with the
# rules of infra/prometheus/rules and its data in $VIGIL_HOME/var/prometheus (docs/observability.md).
#   infra/bin/prometheus.sh start        render the config; start Prometheus, or make a running one reload it
#                                        (./vigil up calls this while it holds the stack lock; down stops it)
#   infra/bin/prometheus.sh render FILE  write the config for this stack's ports to FILE (tests check it)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONFIG="$VAR/prometheus/prometheus.yml"

# render FILE: infra/prometheus/prometheus-local.yml with every port of VIGIL_FLINK_PROM_PORTS as a Flink
# target, the metrics ports of the scoring job, the drift job and the retrain loop's services, and the
# absolute rules directory.
render_config() {
    local target=$1 first=${VIGIL_FLINK_PROM_PORTS%-*} last=${VIGIL_FLINK_PROM_PORTS#*-} port targets=""
    [[ $first =~ ^[0-9]+$ && $last =~ ^[0-9]+$ ]] ||
        die "VIGIL_FLINK_PROM_PORTS must be a port or a range like 9249-9250, not '$VIGIL_FLINK_PROM_PORTS'" 64
    for port in $(seq "$first" "$last"); do
        targets+="${targets:+, }\"127.0.0.1:$port\""
    done
    mkdir -p "$(dirname "$target")"
    sed -e "s|@VIGIL_FLINK_PROM_TARGETS@|$targets|g" \
        -e "s|@VIGIL_SCORING_METRICS_PORT@|$VIGIL_SCORING_METRICS_PORT|g" \
        -e "s|@VIGIL_DRIFT_METRICS_PORT@|$VIGIL_DRIFT_METRICS_PORT|g" \
        -e "s|@VIGIL_REVIEW_PORT@|$VIGIL_REVIEW_PORT|g" \
        -e "s|@VIGIL_RETRAIN_METRICS_PORT@|$VIGIL_RETRAIN_METRICS_PORT|g" \
        -e "s|@VIGIL_GUARD_METRICS_PORT@|$VIGIL_GUARD_METRICS_PORT|g" \
        -e "s|@VIGIL_PROMETHEUS_RULES@|$VIGIL_REPO/infra/prometheus/rules|g" \
        "$VIGIL_REPO/infra/prometheus/prometheus-local.yml" >"$target"
}

prometheus_ready() {
    curl -sf --max-time 1 "http://127.0.0.1:$VIGIL_PROMETHEUS_PORT/-/ready" >/dev/null 2>&1
}

start() {
    local pid
    require_cmd prometheus prometheus
    require_cmd curl curl
    mkdir -p "$VAR/prometheus/data" "$LOG_DIR" "$RUN_DIR"
    render_config "$CONFIG"
    promtool check config "$CONFIG" >"$LOG_DIR/promtool.log" 2>&1 || {
        cat "$LOG_DIR/promtool.log" >&2
        die "the Prometheus config or rules are invalid (promtool output above)"
    }
    pid=$(part_pid prometheus)
    if [[ -n $pid ]]; then
        # SIGHUP re-reads the config and rules: a changed port or rule file takes effect without a restart.
        kill -HUP "$pid"
        say "prometheus already running (pid $pid), configuration reloaded"
        return
    fi
    check_ports_free prometheus
    [[ -s $LOG_DIR/prometheus.log ]] && mv -f "$LOG_DIR/prometheus.log" "$LOG_DIR/prometheus.log.prev"
    # --config.file first: part_marker finds the process by it. Own session, like the other parts.
    setsid prometheus "--config.file=$CONFIG" "--storage.tsdb.path=$VAR/prometheus/data" \
        "--storage.tsdb.retention.time=$VIGIL_PROMETHEUS_RETENTION" \
        "--web.listen-address=127.0.0.1:$VIGIL_PROMETHEUS_PORT" \
        </dev/null >"$LOG_DIR/prometheus.log" 2>&1 9>&- &
    echo $! >"$RUN_DIR/prometheus.pid"
    say "prometheus starting (pid $!)"
    wait_until prometheus 30 prometheus_ready "$LOG_DIR/prometheus.log"
}

case ${1:-} in
    start) start ;;
    render)
        [[ -n ${2:-} ]] || die "usage: infra/bin/prometheus.sh render FILE" 64
        render_config "$2"
        ;;
    *) die "usage: infra/bin/prometheus.sh start | render FILE" 64 ;;
esac
