package io.vigil.cli;

import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.Decision;
import io.vigil.schemas.DecisionOutcome;
import io.vigil.schemas.LatencyBreakdown;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.ModelScore;
import java.time.Instant;
import java.util.List;

/** Decisions as the scoring job writes them, for tests to adjust. */
public final class TestDecisions {

    private TestDecisions() {}

    /**
     * Transaction {@code id} approved by champion {@code fraud 1} (score 0.1), no challenger, no
     * fallback, every latency 0: set what a test looks at.
     */
    public static Decision.Builder approvedByChampion(String id) {
        return Decision.newBuilder()
                .setTransactionId(id)
                .setEventTime(Instant.EPOCH)
                .setCustomerId("c1")
                .setDecision(DecisionOutcome.APPROVE)
                .setBand("approve")
                .setDecidedBy(ModelRole.CHAMPION)
                .setChampion(score("1", 0.1))
                .setChallenger(null)
                .setChallengerMode(ChallengerMode.NONE)
                .setFeatures(List.of())
                .setFallbackReason(null)
                .setLatency(new LatencyBreakdown(0L, 0L, 0L, 0L))
                .setEmittedAt(Instant.EPOCH);
    }

    /** A score of model {@code fraud}. */
    public static ModelScore score(String version, double p) {
        return new ModelScore("fraud", version, p, null);
    }
}
