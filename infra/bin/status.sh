#!/usr/bin/env bash
# Prints the local stack's parts (pid, ports, health, resident memory), the message count of every vigil.*
# topic and Flink's TaskManagers, slots and running jobs. Exit status: 0 when every part is UP, 3 otherwise.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The ports each pid listens on, from one ss call: "pid port" per line.
listening=$(ss -ltnpH 2>/dev/null | awk '{ n = split($4, a, ":"); port = a[n];
    while (match($0, /pid=[0-9]+/)) { print substr($0, RSTART + 4, RLENGTH - 4), port; $0 = substr($0, RSTART + RLENGTH) } }' |
    sort -u)

# Known ports only (configured ones and the reporter range), so Flink's random internal ports stay out.
prom_first=${VIGIL_FLINK_PROM_PORTS%-*}
prom_last=${VIGIL_FLINK_PROM_PORTS#*-}
known_ports=" $VIGIL_KAFKA_PORT $VIGIL_KAFKA_CONTROLLER_PORT $VIGIL_REDIS_PORT $VIGIL_FLINK_REST_PORT $VIGIL_FLINK_RPC_PORT $VIGIL_PROMETHEUS_PORT $VIGIL_REVIEW_PORT $VIGIL_RETRAIN_METRICS_PORT $VIGIL_GUARD_METRICS_PORT "
ports_of() {
    local pid=$1 port out=()
    while read -r port; do
        if [[ $known_ports == *" $port "* ]] || ((port >= prom_first && port <= prom_last)); then
            out+=("$port")
        fi
    done < <(awk -v pid="$pid" '$1 == pid { print $2 }' <<<"$listening" | sort -n)
    local IFS=,
    echo "${out[*]:--}"
}

overview=$(flink_overview || true)

healthy() {
    local part=$1 tms
    case $part in
        kafka) tcp_open "$VIGIL_KAFKA_PORT" ;;
        redis) [[ $(redis-cli -p "$VIGIL_REDIS_PORT" ping 2>/dev/null) == PONG ]] ;;
        flink-jobmanager) [[ -n $overview ]] ;;
        flink-taskmanager)
            tms=$(json_number "$overview" taskmanagers)
            ((${tms:-0} >= 1))
            ;;
        prometheus) curl -sf --max-time 2 "http://127.0.0.1:$VIGIL_PROMETHEUS_PORT/-/ready" >/dev/null 2>&1 ;;
        review-queue) curl -sf --max-time 2 "http://127.0.0.1:$VIGIL_REVIEW_PORT/healthz" >/dev/null 2>&1 ;;
        retrainer) curl -sf --max-time 2 "http://127.0.0.1:$VIGIL_RETRAIN_METRICS_PORT/metrics" >/dev/null 2>&1 ;;
        guard) curl -sf --max-time 2 "http://127.0.0.1:$VIGIL_GUARD_METRICS_PORT/metrics" >/dev/null 2>&1 ;;
    esac
}

all_up=true
kafka_up=false
total=0
printf '%-18s %8s  %-16s %-6s %7s\n' PART PID PORTS HEALTH RSS_MB
for part in "${PARTS[@]}"; do
    pid=$(part_pid "$part")
    if [[ -n $pid ]] && healthy "$part"; then
        health=UP
    else
        health=DOWN
        all_up=false
    fi
    [[ $part == kafka && $health == UP ]] && kafka_up=true
    if [[ -n $pid ]]; then
        rss=$(rss_mb "$pid")
        total=$((total + rss))
        printf '%-18s %8s  %-16s %-6s %7s\n' "$part" "$pid" "$(ports_of "$pid")" "$health" "$rss"
    else
        printf '%-18s %8s  %-16s %-6s %7s\n' "$part" - - "$health" -
    fi
done
printf '%-18s %8s  %-16s %-6s %7s\n' TOTAL "" "" "" "$total"

if $kafka_up; then
    echo
    # GetOffsetShell prints topic:partition:end-offset; the sum per topic is the number of records written.
    offsets=$(kafka_tool org.apache.kafka.tools.GetOffsetShell --bootstrap-server "127.0.0.1:$VIGIL_KAFKA_PORT" \
        --topic 'vigil\..*' 2>/dev/null || true)
    if [[ -n $offsets ]]; then
        printf '%-26s %10s %12s\n' TOPIC PARTITIONS MESSAGES
        awk -F: 'NF == 3 { parts[$1]++; sum[$1] += $3 }
            END { for (t in sum) printf "%-26s %10d %12d\n", t, parts[t], sum[t] }' <<<"$offsets" | sort
    else
        echo "kafka: no vigil.* topics (./vigil up creates them)"
    fi
fi

if [[ -n $overview ]]; then
    echo
    printf 'flink: %s TaskManager(s), %s of %s slots free, %s running job(s)  http://127.0.0.1:%s\n' \
        "$(json_number "$overview" taskmanagers)" "$(json_number "$overview" slots-available)" \
        "$(json_number "$overview" slots-total)" "$(json_number "$overview" jobs-running)" "$VIGIL_FLINK_REST_PORT"
fi

# Scrape targets by health, from /api/v1/targets (one "health" field per active target).
targets=""
[[ -n $(part_pid prometheus) ]] &&
    targets=$(curl -sf --max-time 2 "http://127.0.0.1:$VIGIL_PROMETHEUS_PORT/api/v1/targets?state=active" || true)
if [[ -n $targets ]]; then
    printf 'prometheus: %s of %s scrape targets up  http://127.0.0.1:%s\n' \
        "$(grep -o '"health":"up"' <<<"$targets" | grep -c . || true)" \
        "$(grep -o '"health":"[a-z]*"' <<<"$targets" | grep -c . || true)" "$VIGIL_PROMETHEUS_PORT"
fi

$all_up || exit 3
