package io.vigil.drift.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.drift.records.DecisionInput;
import io.vigil.drift.records.Observation;
import io.vigil.schemas.Decision;
import io.vigil.schemas.DecisionOutcome;
import io.vigil.schemas.FeatureValue;
import io.vigil.schemas.LatencyBreakdown;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.ModelScore;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecisionDeserializerTest {

    private static final Instant AT = Instant.parse("2018-06-01T10:00:00Z");

    private final DecisionDeserializer deserializer = new DecisionDeserializer();
    private final List<DecisionInput> out = new ArrayList<>();

    @BeforeEach
    void open() {
        deserializer.open(null);
    }

    @Test
    void emitsOneObservationPerScoredVersionWithItsOwnScore() {
        decode(
                decision(
                        ModelRole.CHAMPION,
                        new ModelScore("fraud", "v1", 0.2, null),
                        new ModelScore("fraud", "v2", 0.7, null)));

        DecisionInput input = out.get(0);
        assertThat(input.rejected).isNull();
        assertThat(input.eventTimeMillis).isEqualTo(AT.toEpochMilli());
        assertThat(input.observations)
                .extracting(o -> o.version, o -> Arrays.asList(o.subjects), o -> o.values[2])
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple(
                                "v1", List.of("request:tx_amount", "nb", Observation.SCORE), 0.2),
                        org.assertj.core.api.Assertions.tuple(
                                "v2", List.of("request:tx_amount", "nb", Observation.SCORE), 0.7));
    }

    @Test
    void aFallbackWithoutScoreStillObservesTheFeaturesOfTheVersionItNames() {
        decode(decision(ModelRole.FALLBACK, new ModelScore("fraud", "v1", null, "timeout"), null));

        Observation only = out.get(0).observations[0];
        assertThat(only.subjects).containsExactly("request:tx_amount", "nb");
        assertThat(only.values).containsExactly(120.0, 3.0);
    }

    @Test
    void aDecisionNamingNoVersionHasNoObservations() {
        decode(decision(ModelRole.FALLBACK, null, null));

        assertThat(out.get(0).observations).isEmpty();
    }

    @Test
    void malformedBytesBecomeARejectedRecordWithTheirReasonAndLocation() {
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        deserializer.deserialize(
                new ConsumerRecord<>("vigil.decisions", 2, 41L, null, garbage), collector());
        deserializer.deserialize(
                new ConsumerRecord<>("vigil.decisions", 0, 7L, null, new byte[0]), collector());

        assertThat(out).allSatisfy(i -> assertThat(i.observations).isNull());
        assertThat(out.get(0).rejected.value).isEqualTo(garbage);
        assertThat(out.get(0).rejected.sourcePartition).isEqualTo(2);
        assertThat(out.get(0).rejected.sourceOffset).isEqualTo(41);
        assertThat(out.get(0).rejected.reason).contains("not Avro single-object encoded");
        assertThat(out.get(0).eventTimeMillis).isEqualTo(Long.MIN_VALUE);
        assertThat(out.get(1).rejected.reason).contains("empty value");
    }

    private void decode(Decision decision) {
        byte[] bytes = AvroSerde.of(Decision.class).serialize(decision);
        deserializer.deserialize(
                new ConsumerRecord<>("vigil.decisions", 0, 0L, null, bytes), collector());
        assertThat(out).hasSize(1);
    }

    private Collector<DecisionInput> collector() {
        return new Collector<>() {
            @Override
            public void collect(DecisionInput record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }

    private static Decision decision(ModelRole by, ModelScore champion, ModelScore challenger) {
        return Decision.newBuilder()
                .setTransactionId("tx-1")
                .setEventTime(AT)
                .setCustomerId("c")
                .setDecision(DecisionOutcome.APPROVE)
                .setBand("low")
                .setDecidedBy(by)
                .setChampion(champion)
                .setChallenger(challenger)
                .setFeatures(
                        List.of(
                                new FeatureValue("request:tx_amount", 120.0, null),
                                new FeatureValue("missing", null, 5L),
                                new FeatureValue("nb", 3.0, 5L),
                                new FeatureValue("broken", Double.NaN, null)))
                .setLatency(new LatencyBreakdown(0L, 0L, 0L, 0L))
                .setEmittedAt(AT)
                .build();
    }
}
