package io.vigil.features.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.features.records.RejectedRecord;
import io.vigil.features.records.TxEvent;
import io.vigil.features.records.TxFeatures;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class FeatureLogSerializersTest {

    private static final Instant T = Instant.parse("2018-04-01T03:00:00Z"); // a Sunday night

    @Test
    void featureVectorNamesEveryFeatureByViewAndCarriesVersions() throws Exception {
        TxEvent tx = new TxEvent();
        tx.transactionId = "7";
        tx.customerId = "c1";
        tx.terminalId = "t1";
        tx.eventTimeMillis = T.toEpochMilli();
        tx.amountMinorUnits = 2_500;
        TxFeatures features = new TxFeatures(tx, new double[] {1, 0.5, 2, 0.25, 3, 0.125});
        features.customerSpending = new double[] {4, 10.5, 5, 11.5, 6, 12.5};
        FeatureVectorSerializer serializer = new FeatureVectorSerializer("features");
        serializer.open(null, null);

        ProducerRecord<byte[], byte[]> record = serializer.serialize(features, null, null);

        assertThat(record.topic()).isEqualTo("features");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("7");
        FeatureVector vector =
                AvroSerde.of(FeatureVector.class).deserialize("features", 0, 0, record.value());
        assertThat(vector.getEventTime()).isEqualTo(T);
        assertThat(vector.getFeatureViewVersions())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("customer_spending", 1, "terminal_risk", 1));
        assertThat(vector.getFeatures())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.ofEntries(
                                Map.entry("customer_spending:nb_tx_1d", 4.0),
                                Map.entry("customer_spending:avg_amount_1d", 10.5),
                                Map.entry("customer_spending:nb_tx_7d", 5.0),
                                Map.entry("customer_spending:avg_amount_7d", 11.5),
                                Map.entry("customer_spending:nb_tx_30d", 6.0),
                                Map.entry("customer_spending:avg_amount_30d", 12.5),
                                Map.entry("terminal_risk:nb_tx_1d", 1.0),
                                Map.entry("terminal_risk:risk_1d", 0.5),
                                Map.entry("terminal_risk:nb_tx_7d", 2.0),
                                Map.entry("terminal_risk:risk_7d", 0.25),
                                Map.entry("terminal_risk:nb_tx_30d", 3.0),
                                Map.entry("terminal_risk:risk_30d", 0.125),
                                Map.entry("request:tx_amount", 25.0),
                                Map.entry("request:tx_during_weekend", 1.0),
                                Map.entry("request:tx_during_night", 1.0)));
    }

    @Test
    void deadLetterKeepsOriginalBytesLocationAndReason() throws Exception {
        byte[] value = {1, 2, 3};
        RejectedRecord rejected =
                new RejectedRecord(
                        "vigil.transactions",
                        2,
                        99,
                        null,
                        value,
                        "late: because",
                        null,
                        T.toEpochMilli());
        DeadLetterSerializer serializer = new DeadLetterSerializer("dead");
        serializer.open(null, null);

        ProducerRecord<byte[], byte[]> record = serializer.serialize(rejected, null, null);

        assertThat(new String(record.key(), StandardCharsets.UTF_8))
                .isEqualTo("vigil.transactions");
        DeadLetter letter =
                AvroSerde.of(DeadLetter.class).deserialize("dead", 0, 0, record.value());
        assertThat(letter.getSourceTopic()).isEqualTo("vigil.transactions");
        assertThat(letter.getSourcePartition()).isEqualTo(2);
        assertThat(letter.getSourceOffset()).isEqualTo(99);
        assertThat(letter.getKey()).isNull();
        assertThat(letter.getValue()).isEqualTo(ByteBuffer.wrap(value));
        assertThat(letter.getReason()).isEqualTo("late: because");
        assertThat(letter.getFailedAt()).isEqualTo(T);
        assertThat(letter.getComponent()).isEqualTo(DeadLetterSerializer.COMPONENT);
    }
}
