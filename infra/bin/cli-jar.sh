#!/usr/bin/env bash
# Prints the path of the newest cli/target/vigil-cli-*-all.jar, building the CLI once when there is none.
# Used by ./vigil (every Java command) and by ./vigil up (the retrain loop's services run from this jar).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

newest_jar() {
    local jar newest=""
    for jar in "$root"/cli/target/vigil-cli-*-all.jar; do
        [[ -f $jar && (-z $newest || $jar -nt $newest) ]] && newest=$jar
    done
    echo "$newest"
}

jar=$(newest_jar)
if [[ -z $jar ]]; then
    echo "vigil: building the Java CLI once: mvn -B -q -DskipTests -pl cli -am install" >&2
    if ! (cd "$root" && mvn -B -q -DskipTests -pl cli -am install) >&2; then
        echo "vigil: building the CLI failed; run: mvn -B -DskipTests install" >&2
        exit 1
    fi
    jar=$(newest_jar)
    if [[ -z $jar ]]; then
        echo "vigil: no cli/target/vigil-cli-*-all.jar after the build; run: mvn -B -DskipTests install" >&2
        exit 1
    fi
fi
echo "$jar"
