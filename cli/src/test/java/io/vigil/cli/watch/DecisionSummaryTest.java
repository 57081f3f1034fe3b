package io.vigil.cli.watch;

import static io.vigil.cli.TestDecisions.score;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.TestDecisions;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.Decision;
import io.vigil.schemas.LatencyBreakdown;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.ModelScore;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What one line of {@code vigil watch decisions} adds up and says. */
class DecisionSummaryTest {

    // Version "1" reviews from 0.5, version "2" from 0.3; both decline from 0.9.
    private static final BandResolver BANDS =
            score -> {
                if (score == null || score.getScore() == null) {
                    return Optional.empty();
                }
                double reviewFrom = score.getVersion().equals("2") ? 0.3 : 0.5;
                double p = score.getScore();
                return Optional.of(p >= 0.9 ? "decline" : p >= reviewFrom ? "review" : "approve");
            };

    @Test
    void addsUpBandsRolesAgreementLatencyAndFallbacks() {
        DecisionSummary summary = new DecisionSummary(BANDS);
        for (int i = 0; i < 10; i++) {
            // Scores 0.0, 0.1, ... 0.9: versions 1 and 2 disagree on 0.3 and 0.4 only.
            double p = i / 10.0;
            summary.add(
                    decision(
                            "approve",
                            ModelRole.CHAMPION,
                            score("1", p),
                            score("2", p),
                            ChallengerMode.SHADOW,
                            null,
                            1_000 + 100 * i));
        }
        summary.add(
                decision(
                        "review",
                        ModelRole.FALLBACK,
                        null,
                        null,
                        ChallengerMode.NONE,
                        "redis_unavailable",
                        20_000));
        summary.add(
                decision(
                        "review",
                        ModelRole.FALLBACK,
                        null,
                        null,
                        ChallengerMode.NONE,
                        "redis_unavailable",
                        20_000));
        summary.add(
                decision(
                        "decline",
                        ModelRole.FALLBACK,
                        null,
                        null,
                        ChallengerMode.NONE,
                        "lookup_timeout",
                        20_000));
        summary.add(
                decision(
                        "decline",
                        ModelRole.FALLBACK,
                        null,
                        null,
                        ChallengerMode.NONE,
                        "feature_missing",
                        20_000));
        summary.add(
                decision(
                        "held",
                        ModelRole.FALLBACK,
                        null,
                        null,
                        ChallengerMode.NONE,
                        "model_error",
                        20_000));
        summary.addDuplicate();

        assertThat(summary.decisions()).isEqualTo(15);
        assertThat(summary.render(2.0, 2))
                .isEqualTo(
                        "8 decisions/s  latency p50 1.7 ms p99 20.0 ms"
                                + " | approve 10  review 2  decline 2  held 1"
                                + " | champion 10  challenger 0  fallback 5"
                                + " | agreement 80.0% of 10 (shadow)"
                                + " | fallbacks: redis_unavailable 2  feature_missing 1  other 2"
                                + " | duplicates 1");
    }

    @Test
    void saysWhenThereIsNoChallengerToCompareOrItsBandsAreUnknown() {
        DecisionSummary none = new DecisionSummary(BANDS);
        none.add(
                decision(
                        "approve",
                        ModelRole.CHAMPION,
                        score("1", 0.1),
                        null,
                        ChallengerMode.NONE,
                        null,
                        500));
        // A fallback has no model decision to compare, even with a challenger score.
        none.add(
                decision(
                        "review",
                        ModelRole.FALLBACK,
                        null,
                        score("2", 0.4),
                        ChallengerMode.SHADOW,
                        "lookup_timeout",
                        500));
        DecisionSummary unknown = new DecisionSummary(BandResolver.NONE);
        unknown.add(
                decision(
                        "approve",
                        ModelRole.CHAMPION,
                        score("1", 0.1),
                        score("7", 0.2),
                        ChallengerMode.CANARY,
                        null,
                        500));

        assertThat(none.render(1, 3)).contains(" | no challenger | fallbacks: lookup_timeout 1");
        assertThat(unknown.render(1, 3))
                .endsWith(" | agreement ? (canary; 1 not comparable: no score or bands unknown)");
    }

    @Test
    void anEmptyIntervalIsARateOfZeroWithItsUndecodableRecords() {
        DecisionSummary summary = new DecisionSummary(BANDS);
        summary.addUndecodable();

        assertThat(summary.render(1, 3)).isEqualTo("0 decisions/s | undecodable 1");
    }

    @Test
    void recentIdsDropRepeatsWithinTheWindow() {
        RecentIds ids = new RecentIds(2);

        assertThat(ids.firstSeen("a")).isTrue();
        assertThat(ids.firstSeen("a")).isFalse();
        assertThat(ids.firstSeen("b")).isTrue();
        assertThat(ids.firstSeen("c")).isTrue(); // "a" leaves the window
        assertThat(ids.firstSeen("a")).isTrue();
        assertThat(ids.firstSeen("c")).isFalse();
    }

    private static Decision decision(
            String band,
            ModelRole by,
            ModelScore champion,
            ModelScore challenger,
            ChallengerMode mode,
            String fallbackReason,
            long totalMicros) {
        return TestDecisions.approvedByChampion("tx")
                .setBand(band)
                .setDecidedBy(by)
                .setChampion(champion)
                .setChallenger(challenger)
                .setChallengerMode(mode)
                .setFallbackReason(fallbackReason)
                .setLatency(new LatencyBreakdown(0L, 0L, 0L, totalMicros))
                .build();
    }
}
