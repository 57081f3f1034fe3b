#!/usr/bin/env bash
# Makes sure the model registry ($VIGIL_HOME/var/registry) has a champion for the scoring job's model. When
# it has none: simulates 40 days of handbook traffic (simulated time, 1,000 customers) into Kafka, waits
# until the running feature job has logged their features, trains logistic regression and XGBoost on days
# 1-24 (labels known by day 31), registers both, makes the logistic regression the champion and XGBoost a
# shadow challenger. The registry publishes each change on vigil.model-events, which the scoring job follows.
# Needs the stack up and the feature job running. Takes a minute or two once; then it is a no-op, except
# that it announces the registry's champion again when vigil.model-events is empty (a purged Kafka).
#   VIGIL_SCORING_MODEL   model name (default fraud)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

model=${VIGIL_SCORING_MODEL:-fraud}
export VIGIL_HOME VIGIL_BOOTSTRAP="127.0.0.1:$VIGIL_KAFKA_PORT"
aliases="$VAR/registry/$model/aliases.json"
vigil() { "$VIGIL_REPO/vigil" "$@"; }
count() { vigil topics count | awk -v t="$1" '$1 == t { print $3 }' | tr -d ,; }

if [[ -f $aliases ]] && grep -Eq '"champion" *: *"' "$aliases"; then
    # The registry outlives Kafka (./vigil down --purge keeps var/registry): an empty model-events topic
    # would leave the scoring job without a champion, so announce the current aliases again.
    if (($(count vigil.model-events) == 0)); then
        vigil model republish "$model" --reason "vigil.model-events was empty" >/dev/null ||
            die "republishing the aliases of model $model failed"
        say "model $model has a champion; announced it again on the empty vigil.model-events"
    else
        say "model $model has a champion already (./vigil model show $model)"
    fi
    exit 0
fi

# The bootstrap's 40 days are ~77,000 transactions; a feature log that already holds that many (an earlier,
# interrupted bootstrap) is used as it is: simulating the same days again would only produce duplicates.
features=$(count vigil.features)
if ((features < 70000)); then
    say "no champion for model $model yet: simulating 40 days of training traffic (simulated time)"
    vigil simulate --customers 1000 --terminals 2000 --days 40 --start 2018-04-01T00:00:00Z --seed 1 \
        >"$LOG_DIR/bootstrap-simulate.log" 2>&1 || die "simulation failed; see $LOG_DIR/bootstrap-simulate.log"
    sent=$(grep -Eo '[0-9,]+ transactions' "$LOG_DIR/bootstrap-simulate.log" | tail -n1 | tr -d , | cut -d' ' -f1)
    [[ -n $sent ]] || die "cannot read the number of simulated transactions from $LOG_DIR/bootstrap-simulate.log"
    # The last transactions of each partition wait for later ones (the feature job's watermark), so wait
    # for all but the last days' worth, i.e. every row the training window needs.
    needed=$((features + sent * 38 / 40))
    say "waiting for the feature job to log $((needed - features)) of $sent feature vectors"
    deadline=$((SECONDS + 600))
    until (($(count vigil.features) >= needed)); do
        ((SECONDS < deadline)) || die "the feature log did not reach $needed rows in 10 minutes; is the feature job running?"
        sleep 2
    done
fi

say "training logistic regression and XGBoost on 2018-04-01 .. 04-25"
vigil model train --name "$model" --train-from 2018-04-01 --train-to 2018-04-25 \
    >"$LOG_DIR/bootstrap-train.log" 2>&1 || die "training failed; see $LOG_DIR/bootstrap-train.log"
version=$(sed -n 's/.*registered \([0-9][0-9]*\)-logreg.*/\1/p' "$LOG_DIR/bootstrap-train.log" | head -n1)
[[ -n $version ]] || version=$(ls "$VAR/registry/$model/versions" | sed -n 's/-logreg$//p' | sort -n | tail -n1)
vigil model alias "$model" "$version-logreg" --as champion >/dev/null
vigil model alias "$model" "$version-xgboost" --as challenger --mode shadow >/dev/null
say "champion $model $version-logreg, shadow challenger $version-xgboost (./vigil model show $model)"
