#!/usr/bin/env bash
# What a Prometheus scrape of the local stack's Flink reporters costs: for each reporter port, the series and
# bytes of one page; for the TaskManager's, its CPU per scrape: SCRAPES scrapes back to back, less the CPU it
# used over as long an interval without them right after (its own work and Prometheus's scrapes go on in
# both). Run it with the jobs whose metrics matter running, e.g. right after bench/soak.sh.
#   bench/scrape-cost.sh [SCRAPES]     default 40
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "$0")/bench-lib.sh"

scrapes=${1:-40}
[[ $scrapes =~ ^[1-9][0-9]*$ ]] || die "usage: bench/scrape-cost.sh [SCRAPES]" 64
tm=$(part_pid flink-taskmanager) || die "the local stack is not up; run ./vigil up first"

tm_url=""
for ((port = ${VIGIL_FLINK_PROM_PORTS%-*}; port <= ${VIGIL_FLINK_PROM_PORTS#*-}; port++)); do
    url="http://127.0.0.1:$port/metrics"
    page=$(curl -sf --max-time 10 "$url") || continue
    [[ $page == *flink_taskmanager_Status* ]] && tm_url=$url
    printf '%s: %d series, %d bytes\n' "$url" "$(grep -vc '^#' <<<"$page")" "${#page}"
done
[[ -n $tm_url ]] || die "no TaskManager reporter answers on ports $VIGIL_FLINK_PROM_PORTS"

start=$(cpu_ticks "$tm")
begin=$(date +%s%N)
for ((i = 0; i < scrapes; i++)); do
    curl -sf --max-time 10 -o /dev/null "$tm_url"
done
wall_ns=$(($(date +%s%N) - begin))
scraping=$(($(cpu_ticks "$tm") - start))
start=$(cpu_ticks "$tm")
sleep "$(awk -v ns="$wall_ns" 'BEGIN { printf "%.3f", ns / 1e9 }')"
quiet=$(($(cpu_ticks "$tm") - start))
awk -v n="$scrapes" -v s="$scraping" -v q="$quiet" -v hz="$CLK_TCK" -v ns="$wall_ns" 'BEGIN {
    printf "TaskManager: %d scrapes in %.1f s used %.0f ms of CPU, %.0f ms over as long without them: %.1f ms per scrape (%.0f ms per scrape, its other work included)\n",
        n, ns / 1e9, s * 1000 / hz, q * 1000 / hz, (s - q) * 1000 / hz / n, s * 1000 / hz / n
}'
