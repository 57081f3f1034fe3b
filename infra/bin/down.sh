#!/usr/bin/env bash
# Stops the local stack (SIGTERM, SIGKILL after VIGIL_STOP_TIMEOUT s) and checks that no process of it is
# left, by pid and by port. --purge also deletes its data and logs; the jar cache var/lib stays.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

purge=false
case ${1:-} in
    --purge) purge=true ;;
    "") ;;
    *) die "usage: ./vigil down [--purge]" 64 ;;
esac

lock_stack

# Consumers of a part stop before it: the rollback guard, the retrain loop's services and Prometheus (it scrapes Flink),
# TaskManager, JobManager, then the stores.
for part in guard retrainer review-queue prometheus flink-taskmanager flink-jobmanager redis kafka; do
    stop_part "$part"
done

leftover=false
for part in "${PARTS[@]}"; do
    pid=$(part_pid "$part")
    if [[ -n $pid ]]; then
        warn "$part is still running as pid $pid"
        leftover=true
    fi
done
prom_first=${VIGIL_FLINK_PROM_PORTS%-*}
prom_last=${VIGIL_FLINK_PROM_PORTS#*-}
for port in $VIGIL_KAFKA_PORT $VIGIL_KAFKA_CONTROLLER_PORT $VIGIL_REDIS_PORT $VIGIL_FLINK_REST_PORT \
    $VIGIL_FLINK_RPC_PORT $VIGIL_PROMETHEUS_PORT $VIGIL_REVIEW_PORT $VIGIL_RETRAIN_METRICS_PORT $VIGIL_GUARD_METRICS_PORT $(seq "$prom_first" "$prom_last"); do
    port_in_use "$port" || continue
    owner=$(port_owner_pid "$port")
    if is_stack_process "$owner"; then
        warn "port $port is still held by $(describe_pid "$owner")"
        leftover=true
    else
        say "note: port $port is in use by $(describe_pid "$owner"), which is not part of this stack"
    fi
done
$leftover && die "the stack did not stop cleanly (see above)"

# Flink's scratch space (extracted RPC jar, blob caches) outlives a killed JVM; nothing in it is needed later.
rm -rf "${VAR:?}/flink/tmp"
# The services' copies of the CLI jar (up.sh, service_jar): the next up copies the newest build.
rm -f "${RUN_DIR:?}"/vigil-cli-*.jar

if $purge; then
    rm -rf "${VAR:?}/kafka" "$VAR/redis" "$VAR/flink" "$VAR/prometheus" "$VAR/run" "$VAR/log"
    say "purged Kafka, Redis, Flink and Prometheus data and logs under ${VAR#"$VIGIL_HOME"/}/ (jar cache ${LIB_DIR#"$VIGIL_HOME"/} kept)"
fi
say "stack is down"
