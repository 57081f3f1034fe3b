package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.Decision;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.testkit.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The running scoring job under a steady load: model changes and a Redis outage cost no transaction
 * its decision, and malformed input reaches the dead-letter topic.
 */
class ScoringJobITCase extends ScoringUnderLoad {

    // Durable: the outage test restarts Redis, which must come back with its data, as a production
    // Redis with persistence does (one that comes back empty is a reset, not an outage).
    @RegisterExtension static final RedisExtension REDIS = RedisExtension.durable();

    ScoringJobITCase() {
        super(REDIS);
    }

    @Test
    void promotionAndRollbackUnderLoadLeaveNoTransactionUnscored() throws Exception {
        int sent =
                underLoad(
                        4_000,
                        () -> {
                            fixture.registry.setChallenger(
                                    "fraud", "v2", ChallengerMode.SHADOW, 0, ScoringFixture.BY);
                            awaitLoaded("challenger", 1);
                            Thread.sleep(1_500);
                            fixture.registry.promote("fraud", ScoringFixture.BY);
                            Thread.sleep(1_500);
                            fixture.registry.rollback("fraud", ScoringFixture.BY);
                            Thread.sleep(1_500);
                        });

        List<Decision> decisions = allDecisions(sent);
        assertThat(decisions.stream().map(Decision::getFallbackReason).distinct().toList())
                .containsOnlyNulls();
        assertThat(decisions).extracting(Decision::getDecidedBy).containsOnly(ModelRole.CHAMPION);
        assertThat(decisions).allSatisfy(d -> assertThat(d.getChampion().getScore()).isNotNull());
        List<String> championVersions =
                decisions.stream().map(d -> d.getChampion().getVersion()).distinct().toList();
        // Per partition the order is v1, then v2 (promoted), then v1 again (rolled back).
        assertThat(championVersions).contains("v1", "v2");
        assertThat(decisions.get(decisions.size() - 1).getChampion().getVersion()).isEqualTo("v1");
        assertThat(decisions.stream().filter(d -> d.getChallenger() != null).count()).isPositive();
    }

    @Test
    void aRedisOutageUnderLoadFallsBackAndLosesNothing() throws Exception {
        int sent =
                underLoad(
                        3_000,
                        () -> {
                            Thread.sleep(1_500);
                            REDIS.stop();
                            Thread.sleep(2_000);
                            REDIS.start();
                            Thread.sleep(2_000);
                        });

        assertFellBackOnlyForThenScoredAgain("redis_unavailable", allDecisions(sent));
    }

    @Test
    void aRedisThatComesBackEmptyIsNotTrustedUntilTheStoreIsMarkedAgain() throws Exception {
        int sent =
                underLoad(
                        3_000,
                        () -> {
                            Thread.sleep(1_000);
                            REDIS.flushAll();
                            Thread.sleep(1_500);
                            fixture.markStoreBuiltFromTheStart();
                            Thread.sleep(1_000);
                        });

        // Without a mark no missing snapshot passes for a new customer; marked again, it does.
        assertFellBackOnlyForThenScoredAgain("online_store_reset", allDecisions(sent));
    }

    // Undecodable labels are the feature job's to dead-letter (ControlSplitFunction drops them).
    @Test
    void malformedTransactionsAndModelEventsGoToTheDeadLetterTopic() throws Exception {
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        List<String> inputs =
                List.of(fixture.topics.transactions().name(), fixture.topics.modelEvents().name());
        try (KafkaProducer<byte[], byte[]> raw = KAFKA.newProducer()) {
            for (String topic : inputs) {
                raw.send(new ProducerRecord<>(topic, garbage)).get();
            }
        }
        var letters = KAFKA.readAll(fixture.topics.deadLetter().name(), 2, Duration.ofSeconds(60));
        assertThat(letters).hasSize(2);
        AvroSerde<DeadLetter> serde = AvroSerde.of(DeadLetter.class);
        List<DeadLetter> decoded = new ArrayList<>();
        for (var record : letters) {
            decoded.add(serde.deserialize("dl", 0, 0, record.value()));
        }
        assertThat(decoded)
                .extracting(DeadLetter::getSourceTopic)
                .containsExactlyInAnyOrderElementsOf(inputs);
        for (DeadLetter letter : decoded) {
            assertThat(letter.getComponent()).isEqualTo("scoring-job");
            assertThat(letter.getValue().array()).isEqualTo(garbage);
            assertThat(letter.getReason()).isNotBlank();
        }
    }
}
