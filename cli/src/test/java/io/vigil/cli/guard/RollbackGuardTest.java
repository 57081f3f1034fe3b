package io.vigil.cli.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.vigil.cli.TestDecisions;
import io.vigil.cli.TestRegistry;
import io.vigil.models.ModelRegistryException;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.AuditEntry;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelAliases;
import io.vigil.models.registry.ModelEventPublisher;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.Decision;
import io.vigil.schemas.DecisionOutcome;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.ModelEventType;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.ModelScore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollbackGuardTest {

    private static final Attribution BY = new Attribution("alice", "test");
    private static final GuardLimits LIMITS =
            new GuardLimits(0.01, 0.05, 100, Duration.ofMinutes(5), Duration.ofHours(1));

    @TempDir Path dir;

    private FileSystemModelRegistry registry;
    private final MovableClock clock = new MovableClock();
    private final StringWriter out = new StringWriter();
    private GuardMetrics metrics;
    private RollbackGuard guard;
    private int sequence;

    @BeforeEach
    void setUp() {
        registry = FileSystemModelRegistry.open(dir, ModelEventPublisher.none());
        for (String version : List.of("1", "2", "3")) {
            TestRegistry.register(registry, version, Map.of(), BY);
        }
        registry.setChampion("fraud", "1", BY);
        registry.setChallenger("fraud", "2", ChallengerMode.SHADOW, 0, BY);
        metrics = GuardMetrics.open(null);
        guard =
                new RollbackGuard(
                        registry, LIMITS, "vigil-guard", metrics, new PrintWriter(out), clock);
    }

    @AfterEach
    void tearDown() {
        metrics.close();
    }

    @Test
    void aPromotedChampionFailingTooOftenIsRolledBackOnce() {
        registry.promote("fraud", BY);
        clock.at(Instant.now().plusSeconds(1));
        champion("2", 290, DecisionOutcome.APPROVE, false);
        champion("2", 10, DecisionOutcome.APPROVE, true);

        guard.evaluate();

        assertThat(registry.aliases("fraud").champion()).isEqualTo("1");
        AuditEntry last = lastAudit();
        assertThat(last.type()).isEqualTo(ModelEventType.ROLLED_BACK);
        assertThat(last.actor()).isEqualTo("vigil-guard");
        assertThat(last.reason())
                .startsWith(
                        "automatic: error rate 3.33% > limit 1.00% (10 of 300 inferences failed");
        assertThat(breaches("champion", "error_rate", GuardAction.ROLLED_BACK)).isEqualTo(1);
        assertThat(out.toString())
                .contains("rolled back fraud 2 (champion) to 1: error rate 3.33%");

        champion("2", 50, DecisionOutcome.APPROVE, true); // in flight before the swap
        guard.evaluate();
        assertThat(registry.aliases("fraud").champion()).isEqualTo("1");
        assertThat(registry.audit("fraud")).last().isEqualTo(last);
    }

    @Test
    void aRollbackTheRegistryCannotWriteNowIsTriedAgainAtTheNextEvaluation() throws Exception {
        registry.promote("fraud", BY);
        clock.at(Instant.now().plusSeconds(1));
        champion("2", 200, DecisionOutcome.APPROVE, true);
        // A directory where the registry's lock file goes: every change fails with an I/O error.
        Path lock = dir.resolve(".lock");
        Files.deleteIfExists(lock);
        Files.createDirectory(lock);

        assertThatThrownBy(guard::evaluate).isInstanceOf(ModelRegistryException.class);
        assertThat(registry.aliases("fraud").champion()).isEqualTo("2");

        Files.delete(lock);
        guard.evaluate();
        assertThat(registry.aliases("fraud").champion()).isEqualTo("1");
        assertThat(breaches("champion", "error_rate", GuardAction.ROLLED_BACK)).isEqualTo(1);
        assertThat(breaches("champion", "error_rate", GuardAction.REFUSED)).isZero();
    }

    @Test
    void aRollbackWhoseEventCouldNotBePublishedIsPublishedAtTheNextEvaluation() {
        registry.promote("fraud", BY);
        List<ModelEvent> published = new ArrayList<>();
        AtomicBoolean kafkaDown = new AtomicBoolean(true);
        guard =
                new RollbackGuard(
                        FileSystemModelRegistry.open(
                                dir,
                                event -> {
                                    if (kafkaDown.get()) {
                                        throw new TimeoutException("no answer from Kafka");
                                    }
                                    published.add(event);
                                }),
                        LIMITS,
                        "vigil-guard",
                        metrics,
                        new PrintWriter(out),
                        clock);
        clock.at(Instant.now().plusSeconds(1));
        champion("2", 200, DecisionOutcome.APPROVE, true);

        assertThatThrownBy(guard::evaluate).hasMessageContaining("no answer from Kafka");
        assertThat(registry.aliases("fraud").champion()).isEqualTo("1");
        assertThat(published).isEmpty();

        kafkaDown.set(false);
        guard.evaluate();
        assertThat(published)
                .extracting(ModelEvent::getType, ModelEvent::getVersion)
                .containsExactly(tuple(ModelEventType.ROLLED_BACK, "1"));
        assertThat(out.toString()).contains("published 1 model events of fraud left unpublished");
        assertThat(registry.audit("fraud"))
                .last()
                .extracting(AuditEntry::eventId)
                .isEqualTo(published.get(0).getEventId());
    }

    @Test
    void aChampionWithinItsLimitsOrWithTooFewDecisionsStays() {
        registry.promote("fraud", BY);
        clock.at(Instant.now().plusSeconds(1));
        champion("2", 99, DecisionOutcome.DECLINE, true); // bad, but fewer than --min-decisions
        guard.evaluate();
        assertThat(registry.aliases("fraud").champion()).isEqualTo("2");

        clock.at(clock.instant().plus(Duration.ofMinutes(5))); // those fall out of the window
        champion("2", 1_000, DecisionOutcome.APPROVE, false);
        champion("2", 50, DecisionOutcome.DECLINE, false);
        champion("2", 10, DecisionOutcome.APPROVE, true);
        guard.evaluate();

        assertThat(registry.aliases("fraud").champion()).isEqualTo("2");
        assertThat(gauge(metrics.inferences, "2", "champion")).isEqualTo(1_060);
        assertThat(gauge(metrics.errorRate, "2", "champion")).isEqualTo(10 / 1_060.0);
        // Failed inferences decided nothing: declines are counted among decided transactions.
        assertThat(gauge(metrics.declineRate, "2", "champion")).isEqualTo(50 / 1_050.0);
        assertThat(lastAudit().type()).isEqualTo(ModelEventType.PROMOTED);
    }

    @Test
    void aChampionPastItsProbationIsReportedNotRolledBackAndReportedAgainOnlyAfterRecovering() {
        registry.promote("fraud", BY);
        clock.at(Instant.now().plus(Duration.ofHours(2)));
        champion("2", 200, DecisionOutcome.DECLINE, false);

        guard.evaluate();
        guard.evaluate();

        assertThat(registry.aliases("fraud").champion()).isEqualTo("2");
        assertThat(breaches("champion", "decline_rate", GuardAction.REPORTED)).isEqualTo(1);
        assertThat(out.toString())
                .contains("breach reported, no action")
                .contains("decline rate 100.00%");

        clock.at(clock.instant().plus(Duration.ofMinutes(5)));
        champion("2", 200, DecisionOutcome.APPROVE, false);
        guard.evaluate();
        clock.at(clock.instant().plusSeconds(1));
        champion("2", 100, DecisionOutcome.DECLINE, false);
        guard.evaluate();
        assertThat(breaches("champion", "decline_rate", GuardAction.REPORTED)).isEqualTo(2);
    }

    @Test
    void theFirstChampionHasNothingToRollBackTo() {
        clock.at(Instant.now().plusSeconds(1));
        champion("1", 200, DecisionOutcome.APPROVE, true);
        guard.evaluate();
        assertThat(registry.aliases("fraud").champion()).isEqualTo("1");
        assertThat(breaches("champion", "error_rate", GuardAction.REPORTED)).isEqualTo(1);
    }

    @Test
    void onlyDecisionsSinceTheVersionTookItsRoleCount() {
        Instant before = Instant.now().minusSeconds(30);
        registry.promote("fraud", BY);
        registry.rollback("fraud", BY); // 1 is champion again, from now on
        clock.at(before);
        champion("1", 500, DecisionOutcome.APPROVE, true); // its failures of an earlier stint
        clock.at(Instant.now().plusSeconds(1));
        champion("1", 500, DecisionOutcome.APPROVE, false);
        registry.setChallenger("fraud", "2", ChallengerMode.SHADOW, 0, BY);
        guard.evaluate();

        assertThat(gauge(metrics.inferences, "1", "champion")).isEqualTo(500);
        assertThat(gauge(metrics.errorRate, "1", "champion")).isZero();
        assertThat(registry.aliases("fraud").champion()).isEqualTo("1");
    }

    @Test
    void aCanaryDecliningTooMuchBecomesAShadowAndAShadowIsOnlyReported() {
        registry.setChallenger("fraud", "3", ChallengerMode.CANARY, 0.2, BY);
        clock.at(Instant.now().plusSeconds(1));
        for (int i = 0; i < 150; i++) {
            observe(
                    decidedByChallenger(
                            "3", i < 30 ? DecisionOutcome.DECLINE : DecisionOutcome.APPROVE));
        }
        champion("1", 600, DecisionOutcome.APPROVE, false);

        guard.evaluate();

        ModelAliases after = registry.aliases("fraud");
        assertThat(after.champion()).isEqualTo("1");
        assertThat(after.challenger())
                .isEqualTo(new ModelAliases.Challenger("3", ChallengerMode.SHADOW, 0));
        assertThat(lastAudit().reason())
                .startsWith("automatic: decline rate 20.00% > limit 5.00% (30 of 150 decided");
        assertThat(breaches("challenger", "decline_rate", GuardAction.SHADOWED)).isEqualTo(1);
        assertThat(out.toString()).contains("made canary fraud 3 (challenger) a shadow");

        // As a shadow it decides nothing; its failures are reported and change nothing.
        clock.at(clock.instant().plusSeconds(2));
        for (int i = 0; i < 150; i++) {
            observe(
                    TestDecisions.approvedByChampion("s" + i)
                            .setChallenger(new ModelScore("fraud", "3", null, "boom"))
                            .setChallengerMode(ChallengerMode.SHADOW)
                            .setEmittedAt(clock.instant())
                            .build());
        }
        guard.evaluate();
        assertThat(registry.aliases("fraud")).isEqualTo(after);
        assertThat(breaches("challenger", "error_rate", GuardAction.REPORTED)).isEqualTo(1);
    }

    @Test
    void gaugesFollowTheServingVersions() {
        clock.at(Instant.now().plusSeconds(1));
        champion("1", 10, DecisionOutcome.APPROVE, false);
        guard.evaluate();
        assertThat(gauge(metrics.inferences, "1", "champion")).isEqualTo(10);
        assertThat(gauge(metrics.inferences, "2", "challenger")).isZero();

        registry.promote("fraud", BY);
        guard.evaluate();
        assertThat(gauge(metrics.inferences, "2", "champion")).isZero();
        assertThatThrownBy(() -> gauge(metrics.inferences, "1", "champion"))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new GuardLimits(1, 0.05, 1, Duration.ofMinutes(1), Duration.ZERO))
                .hasMessage("--max-error-rate must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new GuardLimits(0, -0.1, 1, Duration.ofMinutes(1), Duration.ZERO))
                .hasMessage("--max-decline-rate must be in [0, 1), got -0.1");
        assertThatThrownBy(() -> new GuardLimits(0, 0, 0, Duration.ofMinutes(1), Duration.ZERO))
                .hasMessage("--min-decisions must be at least 1, got 0");
        assertThatThrownBy(() -> new GuardLimits(0, 0, 1, Duration.ofMillis(500), Duration.ZERO))
                .hasMessage("--window must be at least 1s, got PT0.5S");
        assertThatThrownBy(
                        () ->
                                new GuardLimits(
                                        0, 0, 1, Duration.ofMinutes(1), Duration.ofSeconds(-1)))
                .hasMessage("--probation must not be negative, got PT-1S");
    }

    private void champion(String version, int n, DecisionOutcome outcome, boolean failed) {
        for (int i = 0; i < n; i++) {
            Decision.Builder d =
                    TestDecisions.approvedByChampion("t" + sequence++)
                            .setEmittedAt(clock.instant());
            if (failed) {
                d.setChampion(new ModelScore("fraud", version, null, "OrtException: boom"))
                        .setDecidedBy(ModelRole.FALLBACK)
                        .setFallbackReason("champion_error");
            } else {
                d.setChampion(TestDecisions.score(version, 0.5)).setDecision(outcome);
            }
            observe(d.build());
        }
    }

    private Decision decidedByChallenger(String version, DecisionOutcome outcome) {
        return TestDecisions.approvedByChampion("t" + sequence++)
                .setChallenger(TestDecisions.score(version, 0.95))
                .setChallengerMode(ChallengerMode.CANARY)
                .setDecidedBy(ModelRole.CHALLENGER)
                .setDecision(outcome)
                .setEmittedAt(clock.instant())
                .build();
    }

    private void observe(Decision d) {
        guard.observe(d);
    }

    private AuditEntry lastAudit() {
        List<AuditEntry> audit = registry.audit("fraud");
        return audit.get(audit.size() - 1);
    }

    private double breaches(String role, String limit, GuardAction action) {
        return metrics.breaches.labelValues("fraud", role, limit, action.label()).get();
    }

    /** A gauge's value; an AssertionError when the series does not exist. */
    private double gauge(Gauge gauge, String version, String role) {
        String name = gauge.getPrometheusName();
        return metrics.endpoint.registry().scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals(name))
                .flatMap(s -> s.getDataPoints().stream())
                .filter(
                        p ->
                                p.getLabels().get("version").equals(version)
                                        && p.getLabels().get("role").equals(role))
                .map(p -> ((GaugeDataPointSnapshot) p).getValue())
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no " + name + " for " + version + " " + role));
    }

    /** A clock the test sets. */
    private static final class MovableClock extends Clock {

        private Instant now = Instant.now();

        void at(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
