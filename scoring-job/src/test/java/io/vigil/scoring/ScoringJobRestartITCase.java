package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Decision;
import io.vigil.schemas.LatencyBreakdown;
import io.vigil.testkit.FailOnceSink;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.RedisExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task of the running scoring job fails under load and Flink restarts the job from its last
 * checkpoint: the transactions read since then are scored again, so their decisions are repeated,
 * as the at-least-once decision log allows. Every transaction still has a decision, and every
 * repeat is the same decision (same vector, scores, versions and band), so a reader that keeps one
 * per transaction id loses nothing.
 */
class ScoringJobRestartITCase extends ScoringUnderLoad {

    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    private static final String FAILURE = "scoring restart";

    ScoringJobRestartITCase() {
        super(REDIS);
    }

    @Override
    JobClient start(ScoringJobConfig config) throws Exception {
        // About 5 s into the load (two writers at 200 decisions a second each).
        return fixture.startScoring(
                config,
                FlinkMiniCluster.fixedDelayRestarts(1),
                sinks ->
                        new ScoringSinks(
                                FailOnceSink.afterRecords(FAILURE, sinks.decisions(), 1_000),
                                sinks.modelEvents(),
                                sinks.deadLetters()));
    }

    @Test
    void aFailureUnderLoadRepeatsSomeDecisionsIdenticallyAndLosesNone() throws Exception {
        int sent = underLoad(8_000, () -> {});

        Map<String, List<Decision>> byTransaction = decisionsByTransaction(sent);
        assertThat(FailOnceSink.hasFailed(FAILURE)).as("the injected failure happened").isTrue();
        List<List<Decision>> repeated =
                byTransaction.values().stream().filter(d -> d.size() > 1).toList();
        assertThat(repeated).as("decisions made again after the restart").isNotEmpty();
        assertThat(repeated)
                .allSatisfy(
                        d ->
                                assertThat(d.stream().map(ScoringJobRestartITCase::content))
                                        .containsOnly(content(d.get(0))));
        assertNoneFellBack(byTransaction.values().stream().flatMap(List::stream).toList());
    }

    /** A decision without what differs between two scorings of one transaction: the timing. */
    private static Decision content(Decision d) {
        return Decision.newBuilder(d)
                .setLatency(new LatencyBreakdown(0L, 0L, 0L, 0L))
                .setEmittedAt(Instant.EPOCH)
                .build();
    }
}
