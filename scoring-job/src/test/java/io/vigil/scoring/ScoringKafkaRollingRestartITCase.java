package io.vigil.scoring;

import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The running scoring job while its Kafka cluster of three brokers is restarted broker by broker,
 * as an upgrade does: each broker hands its partitions over, stops, starts again and catches up
 * before the next one stops. Every transaction gets exactly one decision, scored by the champion.
 */
class ScoringKafkaRollingRestartITCase extends ScoringUnderLoad {

    @RegisterExtension static final KafkaExtension BROKERS = KafkaExtension.rollingRestartable();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    ScoringKafkaRollingRestartITCase() {
        super(BROKERS, REDIS);
    }

    @Test
    void aRollingRestartUnderLoadCostsNoDecisionAndRepeatsNone() throws Exception {
        int sent =
                underLoad(
                        8_000,
                        () -> {
                            Thread.sleep(1_500);
                            for (int id : BROKERS.brokerIds().stream().sorted().toList()) {
                                BROKERS.shutDownBroker(id);
                                Thread.sleep(1_000);
                                BROKERS.startBroker(id);
                                BROKERS.awaitAllInSync();
                            }
                        });

        assertNoneFellBack(allDecisions(sent));
    }
}
