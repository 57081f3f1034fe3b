package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Decision;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The running scoring job on a Kafka cluster of three brokers (three replicas, two in sync) whose
 * brokers crash under load: one, whose partitions stall until the controller elects a replica
 * (after the 9 s broker session timeout), or all three for ten seconds. Every transaction still
 * gets exactly one decision, scored by the champion: the producers' buffers and retries carry the
 * records over the gap, so the job neither fails nor repeats a decision.
 */
class ScoringKafkaBrokerCrashITCase extends ScoringUnderLoad {

    @RegisterExtension static final KafkaExtension BROKERS = KafkaExtension.replicated();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    ScoringKafkaBrokerCrashITCase() {
        super(BROKERS, REDIS);
    }

    @AfterEach
    void everyBrokerRunsAgain() {
        BROKERS.startStoppedBrokers();
    }

    @Test
    void aBrokerThatCrashesUnderLoadAndComesBackCostsNoDecisionAndRepeatsNone() throws Exception {
        String transactions = fixture.topics.transactions().name();
        int sent =
                underLoad(
                        8_000,
                        () -> {
                            Thread.sleep(1_500);
                            int leader = BROKERS.leaderOf(transactions, 0);
                            BROKERS.crashBroker(leader);
                            Thread.sleep(12_000);
                            BROKERS.startBroker(leader);
                        });

        assertScoredAfterAStallOfSeconds(allDecisions(sent));
    }

    @Test
    void aWholeClusterDownForTenSecondsUnderLoadCostsNoDecisionAndRepeatsNone() throws Exception {
        int sent =
                underLoad(
                        8_000,
                        () -> {
                            Thread.sleep(1_500);
                            BROKERS.brokerIds().forEach(BROKERS::crashBroker);
                            Thread.sleep(10_000);
                            BROKERS.brokerIds().forEach(BROKERS::startBroker);
                        });

        assertScoredAfterAStallOfSeconds(allDecisions(sent));
    }

    /**
     * No decision fell back, and some transactions waited seconds between their producer and the
     * job (so the crash did stall their partitions).
     */
    private static void assertScoredAfterAStallOfSeconds(List<Decision> decisions) {
        assertNoneFellBack(decisions);
        assertThat(decisions)
                .anySatisfy(
                        d -> assertThat(d.getLatency().getQueueMicros()).isGreaterThan(2_000_000));
    }
}
