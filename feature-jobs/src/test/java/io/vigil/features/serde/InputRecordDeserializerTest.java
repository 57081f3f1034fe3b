package io.vigil.features.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.features.records.InputRecord;
import io.vigil.schemas.Label;
import io.vigil.schemas.LabelSource;
import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class InputRecordDeserializerTest {

    private static final Instant T = Instant.parse("2018-04-01T10:00:00.123Z");

    @Test
    void decodesATransactionWithItsArrivalPosition() {
        Transaction tx =
                new Transaction("7", T, "c1", "t1", new Money(1_234L, "EUR"), null, null, null);
        byte[] bytes = AvroSerde.of(Transaction.class).serialize(tx);

        InputRecord in =
                decode(InputRecordDeserializer.transactions(), "vigil.transactions", bytes);

        assertThat(in.rejected).isNull();
        assertThat(in.transaction.transactionId).isEqualTo("7");
        assertThat(in.transaction.customerId).isEqualTo("c1");
        assertThat(in.transaction.terminalId).isEqualTo("t1");
        assertThat(in.transaction.eventTimeMillis).isEqualTo(T.toEpochMilli());
        assertThat(in.transaction.amountMinorUnits).isEqualTo(1_234);
        assertThat(in.transaction.partition).isEqualTo(3);
        assertThat(in.transaction.offset).isEqualTo(42);
        assertThat(in.transaction.ingestTimeMillis).isEqualTo(1_000);
        assertThat(in.transaction.sourceValue).isEqualTo(bytes);
        assertThat(in.eventTimeMillis()).isEqualTo(T.toEpochMilli());
    }

    @Test
    void decodesALabelWithItsLabelTimeAsEventTime() {
        Label label =
                new Label("7", "c1", "t1", T, T.plusSeconds(604_800), true, LabelSource.CHARGEBACK);
        byte[] bytes = AvroSerde.of(Label.class).serialize(label);

        InputRecord in = decode(InputRecordDeserializer.labels(), "vigil.labels", bytes);

        assertThat(in.label.transactionId).isEqualTo("7");
        assertThat(in.label.terminalId).isEqualTo("t1");
        assertThat(in.label.txEventTimeMillis).isEqualTo(T.toEpochMilli());
        assertThat(in.label.fraud).isTrue();
        assertThat(in.eventTimeMillis()).isEqualTo(T.plusSeconds(604_800).toEpochMilli());
    }

    @Test
    void malformedBytesBecomeARejectedRecordWithReasonAndOriginalBytes() {
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);

        InputRecord in =
                decode(InputRecordDeserializer.transactions(), "vigil.transactions", garbage);

        assertThat(in.transaction).isNull();
        assertThat(in.rejected.sourceTopic).isEqualTo("vigil.transactions");
        assertThat(in.rejected.sourcePartition).isEqualTo(3);
        assertThat(in.rejected.sourceOffset).isEqualTo(42);
        assertThat(in.rejected.value).isEqualTo(garbage);
        assertThat(in.rejected.key).isEqualTo("key".getBytes(StandardCharsets.UTF_8));
        assertThat(in.rejected.reason).startsWith("not Avro single-object encoded");
        assertThat(in.eventTimeMillis()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aLabelOnTheTransactionsTopicIsRejectedNotMisread() {
        Label label = new Label("7", "c1", "t1", T, T, true, LabelSource.OTHER);
        byte[] bytes = AvroSerde.of(Label.class).serialize(label);

        InputRecord in =
                decode(InputRecordDeserializer.transactions(), "vigil.transactions", bytes);

        assertThat(in.rejected.reason).contains("Transaction");
    }

    @Test
    void truncatedAndEmptyRecordsAreRejected() {
        Transaction tx =
                new Transaction("7", T, "c1", "t1", new Money(1_234L, "EUR"), null, null, null);
        byte[] bytes = AvroSerde.of(Transaction.class).serialize(tx);
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 4);

        assertThat(decode(InputRecordDeserializer.transactions(), "x", truncated).rejected)
                .isNotNull();
        assertThat(decode(InputRecordDeserializer.transactions(), "x", new byte[0]).rejected.reason)
                .contains("empty value");
    }

    private static InputRecord decode(
            InputRecordDeserializer deserializer, String topic, byte[] value) {
        deserializer.open(null);
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>(
                        topic,
                        3,
                        42,
                        1_000,
                        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                        3,
                        value.length,
                        "key".getBytes(StandardCharsets.UTF_8),
                        value,
                        new org.apache.kafka.common.header.internals.RecordHeaders(),
                        java.util.Optional.empty());
        List<InputRecord> out = new ArrayList<>();
        deserializer.deserialize(
                record,
                new Collector<>() {
                    @Override
                    public void collect(InputRecord r) {
                        out.add(r);
                    }

                    @Override
                    public void close() {}
                });
        assertThat(out).hasSize(1);
        return out.get(0);
    }
}
