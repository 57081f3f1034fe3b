#!/usr/bin/env bash
# The Flink CLI (bin/flink of a Flink distribution) bound to the local session cluster, e.g.
#   ./vigil flink run -d -c io.vigil.SomeJob some-job.jar   ./vigil flink list   ./vigil flink cancel <job-id>
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ -f $FLINK_CONF/config.yaml && -f $LIB_DIR/flink/.vigil-jars ]] ||
    die "the local Flink cluster was never started here; run ./vigil up first"
# Without FLINK_CONF_DIR the CLI exits 31 without a word.
export FLINK_CONF_DIR="$FLINK_CONF" FLINK_PLUGINS_DIR="$LIB_DIR/flink-plugins" FLINK_LIB_DIR="$LIB_DIR/flink"
flink_overview >/dev/null ||
    warn "the Flink cluster does not answer on http://127.0.0.1:$VIGIL_FLINK_REST_PORT; ./vigil up starts it"
read -r -a opens <<<"$(flink_jvm_opens)"
mkdir -p "$LOG_DIR" "$VAR/flink/tmp"
exec java "${opens[@]}" "-Dlog.file=$LOG_DIR/flink-client.log" \
    "-Dlog4j.configuration=file:$FLINK_CONF/log4j-cli.properties" \
    "-Dlog4j.configurationFile=file:$FLINK_CONF/log4j-cli.properties" \
    -cp "$LIB_DIR/flink/*" org.apache.flink.client.cli.CliFrontend "$@"
