package io.vigil.cli.guard;

import io.vigil.cli.TransientFailures;
import io.vigil.models.ModelRegistryException;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.AuditEntry;
import io.vigil.models.registry.ModelAliases;
import io.vigil.models.registry.ModelRegistry;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.Decision;
import io.vigil.schemas.DecisionOutcome;
import io.vigil.schemas.ModelEventType;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.ModelScore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Judges the serving model versions by the decisions they took part in, and undoes a bad change
 * through the registry: a champion in its probation is rolled back to the previous one, a canary
 * challenger becomes a shadow. The scoring job follows the resulting model events and swaps without
 * a restart, as for a change made by hand.
 *
 * <p>Figures are kept per (model, version, role) in one-second buckets of the decisions' emission
 * time ({@link RollingCounts}), so a guard restarted on the topic's recent past judges the same
 * way. Only the registry's current champion and challenger are judged, each over the window since
 * it took its role (from the audit log). Every change is conditional on the role still being held
 * by the judged version, so a guard acting on what it read never undoes a later change made by a
 * person. A limit stays reported once per breach: the breach must clear before it counts again.
 */
public final class RollbackGuard {

    /** One version in one role. */
    private record Subject(String model, String version, ModelRole role) {

        String roleLabel() {
            return role.name().toLowerCase(Locale.ROOT);
        }

        String[] labels() {
            return new String[] {model, version, roleLabel()};
        }
    }

    private final ModelRegistry registry;
    private final GuardLimits limits;
    private final String actor;
    private final GuardMetrics metrics;
    private final PrintWriter out;
    private final Clock clock;
    private final int windowSeconds;
    private final Map<Subject, RollingCounts> counts = new HashMap<>();
    private final Map<Subject, String> breached = new HashMap<>();
    private final Set<Subject> labelled = new HashSet<>();

    RollbackGuard(
            ModelRegistry registry,
            GuardLimits limits,
            String actor,
            GuardMetrics metrics,
            PrintWriter out,
            Clock clock) {
        this.registry = registry;
        this.limits = limits;
        this.actor = actor;
        this.metrics = metrics;
        this.out = out;
        this.clock = clock;
        this.windowSeconds = (int) limits.window().toSeconds();
    }

    /** Counts what the decision's champion and challenger did. */
    void observe(Decision decision) {
        metrics.decisions.inc();
        long second = Math.floorDiv(decision.getEmittedAt().toEpochMilli(), 1_000);
        count(decision, decision.getChampion(), ModelRole.CHAMPION, second);
        if (decision.getChallengerMode() != ChallengerMode.NONE) {
            count(decision, decision.getChallenger(), ModelRole.CHALLENGER, second);
        }
    }

    private void count(Decision decision, ModelScore score, ModelRole role, long second) {
        // A version not asked (no features, no champion loaded) is neither right nor wrong.
        if (score == null || (score.getScore() == null && score.getError() == null)) {
            return;
        }
        boolean decided = decision.getDecidedBy() == role;
        counts.computeIfAbsent(
                        new Subject(score.getModel(), score.getVersion(), role),
                        s -> new RollingCounts(windowSeconds))
                .add(
                        second,
                        score.getError() != null,
                        decided,
                        decided && decision.getDecision() == DecisionOutcome.DECLINE);
    }

    /** Judges every model's current champion and challenger; acts on what breaches a limit. */
    void evaluate() {
        Instant now = clock.instant();
        long nowSecond = now.getEpochSecond();
        Set<Subject> serving = new HashSet<>();
        for (String model : counts.keySet().stream().map(Subject::model).distinct().toList()) {
            relayPendingEvents(model);
            ModelAliases aliases = registry.aliases(model);
            if (aliases.champion() == null) {
                continue;
            }
            List<AuditEntry> audit = registry.audit(model);
            Subject champion = new Subject(model, aliases.champion(), ModelRole.CHAMPION);
            Instant championSince = since(audit, ModelAliases.CHAMPION, aliases.champion());
            serving.add(champion);
            judge(
                    champion,
                    championSince,
                    nowSecond,
                    () -> championAction(aliases, championSince, now));
            ModelAliases.Challenger challenger = aliases.challenger();
            if (challenger != null) {
                Subject subject = new Subject(model, challenger.version(), ModelRole.CHALLENGER);
                serving.add(subject);
                judge(
                        subject,
                        since(audit, ModelAliases.CHALLENGER, challenger.version()),
                        nowSecond,
                        () ->
                                challenger.mode() == ChallengerMode.CANARY
                                        ? GuardAction.SHADOWED
                                        : GuardAction.REPORTED);
            }
        }
        forgetAllBut(serving, nowSecond);
        metrics.lastEvaluation.set(now.toEpochMilli() / 1e3);
    }

    /** What can be done about a breaching champion: a rollback only within its probation. */
    private GuardAction championAction(ModelAliases aliases, Instant since, Instant now) {
        if (aliases.previousChampions().isEmpty()
                || since == null
                || since.plus(limits.probation()).isBefore(now)) {
            return GuardAction.REPORTED;
        }
        return GuardAction.ROLLED_BACK;
    }

    private void judge(
            Subject subject, Instant since, long nowSecond, Supplier<GuardAction> planned) {
        long from = nowSecond - windowSeconds + 1;
        if (since != null) {
            from = Math.max(from, since.getEpochSecond());
        }
        RollingCounts rolling = counts.get(subject);
        RollingCounts.Totals totals =
                rolling == null
                        ? new RollingCounts.Totals(0, 0, 0, 0)
                        : rolling.totals(from, nowSecond);
        String[] labels = subject.labels();
        labelled.add(subject);
        metrics.inferences.labelValues(labels).set(totals.scored());
        metrics.errorRate.labelValues(labels).set(totals.errorRate());
        metrics.declineRate.labelValues(labels).set(totals.declineRate());

        String limit = breachedLimit(totals);
        if (limit == null) {
            breached.remove(subject);
            return;
        }
        if (limit.equals(breached.get(subject))) {
            return; // reported or acted on already; the breach must clear first
        }
        String why = describe(limit, totals, from, nowSecond);
        GuardAction action = act(subject, planned.get(), why);
        // Only now: a transient failure in act leaves the breach to the next evaluation.
        breached.put(subject, limit);
        metrics.breaches
                .labelValues(subject.model(), subject.roleLabel(), limit, action.label())
                .inc();
    }

    private String breachedLimit(RollingCounts.Totals totals) {
        if (totals.scored() >= limits.minDecisions()
                && totals.errorRate() > limits.maxErrorRate()) {
            return "error_rate";
        }
        if (totals.decided() >= limits.minDecisions()
                && totals.declineRate() > limits.maxDeclineRate()) {
            return "decline_rate";
        }
        return null;
    }

    private String describe(String limit, RollingCounts.Totals totals, long from, long to) {
        boolean errors = limit.equals("error_rate");
        return String.format(
                Locale.ROOT,
                "%s %.2f%% > limit %.2f%% (%d of %d %s in the %d s before %s)",
                errors ? "error rate" : "decline rate",
                100 * (errors ? totals.errorRate() : totals.declineRate()),
                100 * (errors ? limits.maxErrorRate() : limits.maxDeclineRate()),
                errors ? totals.errors() : totals.declined(),
                errors ? totals.scored() : totals.decided(),
                errors ? "inferences failed" : "decided transactions declined",
                to - from + 1,
                Instant.ofEpochSecond(to + 1));
    }

    /**
     * A change whose event failed to publish (this guard's own rollback included) does not reach
     * the scoring job until published: the guard relays it. A model whose events still cannot be
     * published is reported and still judged.
     */
    private void relayPendingEvents(String model) {
        try {
            int published = registry.publishPending(model);
            if (published > 0) {
                out.println(
                        "published "
                                + published
                                + " model events of "
                                + model
                                + " left unpublished");
            }
        } catch (ModelRegistryException e) {
            out.println(
                    "cannot publish the pending model events of " + model + ": " + e.getMessage());
        } finally {
            out.flush();
        }
    }

    private GuardAction act(Subject subject, GuardAction planned, String why) {
        String what = subject.model() + " " + subject.version() + " (" + subject.roleLabel() + ")";
        Attribution by = new Attribution(actor, "automatic: " + why);
        try {
            switch (planned) {
                case ROLLED_BACK -> {
                    ModelAliases after = registry.rollback(subject.model(), subject.version(), by);
                    out.println("rolled back " + what + " to " + after.champion() + ": " + why);
                }
                case SHADOWED -> {
                    registry.shadowCanary(subject.model(), subject.version(), by);
                    out.println("made canary " + what + " a shadow: " + why);
                }
                default ->
                        out.println(
                                "breach reported, no action (past probation, nothing to roll back"
                                        + " to, or a shadow): "
                                        + what
                                        + ": "
                                        + why);
            }
            return planned;
        } catch (ModelRegistryException e) {
            if (TransientFailures.isTransient(e)) {
                throw e; // a held lock or a full disk: the next evaluation tries again
            }
            out.println("the registry refused to change " + what + ": " + e.getMessage());
            return GuardAction.REFUSED;
        } finally {
            out.flush();
        }
    }

    /**
     * When {@code version} last took {@code alias}; null if the audit log does not say (a registry
     * set up before audit entries named the alias).
     */
    private static Instant since(List<AuditEntry> audit, String alias, String version) {
        for (int i = audit.size() - 1; i >= 0; i--) {
            AuditEntry e = audit.get(i);
            if (alias.equals(e.alias())
                    && version.equals(e.version())
                    && e.type() != ModelEventType.ALIAS_REMOVED) {
                return e.at();
            }
        }
        return null;
    }

    /**
     * Drops the gauges of versions no longer serving, and the counts nothing can read any more:
     * those of versions not serving and silent for a whole window.
     */
    private void forgetAllBut(Set<Subject> serving, long nowSecond) {
        labelled.removeIf(
                s -> {
                    if (serving.contains(s)) {
                        return false;
                    }
                    metrics.inferences.remove(s.labels());
                    metrics.errorRate.remove(s.labels());
                    metrics.declineRate.remove(s.labels());
                    return true;
                });
        counts.entrySet()
                .removeIf(
                        e ->
                                !serving.contains(e.getKey())
                                        && e.getValue()
                                                        .totals(
                                                                nowSecond - windowSeconds + 1,
                                                                Long.MAX_VALUE)
                                                        .scored()
                                                == 0);
        breached.keySet().retainAll(counts.keySet());
    }
}
